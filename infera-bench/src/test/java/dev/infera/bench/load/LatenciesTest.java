package dev.infera.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {

  private static Latencies oneToHundredShuffled() {
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) {
      values[i] = (i * 37) % 100 + 1;
    }
    return Latencies.of(values, values.length);
  }

  @Test
  void percentilesAreNearestRankOverTheSortedValues() {
    Latencies latencies = oneToHundredShuffled();

    assertThat(latencies.percentileNanos(50)).isEqualTo(50);
    assertThat(latencies.percentileNanos(90)).isEqualTo(90);
    assertThat(latencies.percentileNanos(99)).isEqualTo(99);
    assertThat(latencies.percentileNanos(100)).isEqualTo(100);
  }

  @Test
  void aPercentileBetweenRanksRoundsUpToTheNextValue() {
    Latencies latencies = Latencies.of(new long[] {10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 10);

    assertThat(latencies.percentileNanos(95)).isEqualTo(100);
    assertThat(latencies.percentileNanos(91)).isEqualTo(100);
    assertThat(latencies.percentileNanos(90)).isEqualTo(90);
    assertThat(latencies.percentileNanos(0.1)).isEqualTo(10);
  }

  @Test
  void onlyTheFirstCountValuesAreUsed() {
    Latencies latencies = Latencies.of(new long[] {5, 1, 999, 999}, 2);

    assertThat(latencies.count()).isEqualTo(2);
    assertThat(latencies.maxNanos()).isEqualTo(5);
    assertThat(latencies.meanNanos()).isEqualTo(3.0);
  }

  @Test
  void noValuesGiveZeros() {
    Latencies latencies = Latencies.of(new long[0], 0);

    assertThat(latencies.percentileNanos(99)).isZero();
    assertThat(latencies.meanNanos()).isZero();
  }

  @Test
  void aPercentileOutsideZeroToHundredIsRejected() {
    Latencies latencies = oneToHundredShuffled();

    assertThatThrownBy(() -> latencies.percentileNanos(0)).hasMessageContaining("(0, 100]");
    assertThatThrownBy(() -> latencies.percentileNanos(101)).hasMessageContaining("(0, 100]");
  }

  @Test
  void theRecorderKeepsEveryValueBeyondItsInitialCapacity() {
    LatencyRecorder recorder = new LatencyRecorder();
    for (int i = 200_000; i > 0; i--) {
      recorder.record(i);
    }

    Latencies latencies = recorder.snapshot();

    assertThat(latencies.count()).isEqualTo(200_000);
    assertThat(latencies.percentileNanos(50)).isEqualTo(100_000);
  }
}
