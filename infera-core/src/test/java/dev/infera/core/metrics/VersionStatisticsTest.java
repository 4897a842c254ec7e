package dev.infera.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.metrics.InferenceStatistics.TimedCount;
import dev.infera.spi.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VersionStatisticsTest {
  private final AtomicLong wallClock = new AtomicLong(1_000);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final VersionMetrics metrics =
      new VersionMetrics(registry, "simple", "1", wallClock::get);

  @Test
  void startsEmpty() {
    InferenceStatistics stats = metrics.statistics().snapshot();
    assertThat(stats.model()).isEqualTo("simple");
    assertThat(stats.version()).isEqualTo("1");
    assertThat(stats.lastInferenceMillis()).isZero();
    assertThat(stats.success()).isEqualTo(TimedCount.ZERO);
    assertThat(stats.batches()).isEmpty();
  }

  @Test
  void successesAddUpTheSameMeasurementsAsTheMeters() {
    metrics.recordExecution(3, 700);
    metrics.recordSuccess(2, Duration.ofNanos(1_000), Duration.ofNanos(100), Duration.ofNanos(700));
    wallClock.set(2_000);
    metrics.recordSuccess(1, Duration.ofNanos(900), Duration.ofNanos(50), Duration.ofNanos(700));

    InferenceStatistics stats = metrics.statistics().snapshot();
    assertThat(stats.inferenceCount()).isEqualTo(3);
    assertThat(stats.executionCount()).isEqualTo(1);
    assertThat(stats.success()).isEqualTo(new TimedCount(2, 1_900));
    assertThat(stats.queue()).isEqualTo(new TimedCount(2, 150));
    assertThat(stats.computeInfer()).isEqualTo(new TimedCount(2, 1_400));
    assertThat(stats.computeInput()).isEqualTo(new TimedCount(2, 0));
    assertThat(stats.computeOutput()).isEqualTo(new TimedCount(2, 0));
    assertThat(stats.lastInferenceMillis()).isEqualTo(2_000);
    assertThat(registry.get(MetricNames.INFERENCE_COUNT).counter().count()).isEqualTo(3);
  }

  @Test
  void failuresCountWithTheirDuration() {
    metrics.recordFailure(ErrorCode.INVALID_ARGUMENT, Duration.ofNanos(40));
    metrics.recordFailure(ErrorCode.UNAVAILABLE, Duration.ofNanos(60));

    InferenceStatistics stats = metrics.statistics().snapshot();
    assertThat(stats.fail()).isEqualTo(new TimedCount(2, 100));
    assertThat(stats.success()).isEqualTo(TimedCount.ZERO);
    assertThat(stats.lastInferenceMillis()).isEqualTo(1_000);
  }

  @Test
  void batchStatisticsArePerBatchSizeInIncreasingOrder() {
    metrics.recordExecution(4, 400);
    metrics.recordExecution(1, 100);
    metrics.recordExecution(4, 500);

    InferenceStatistics stats = metrics.statistics().snapshot();
    assertThat(stats.batches())
        .extracting(InferenceStatistics.BatchStatistics::batchSize)
        .containsExactly(1, 4);
    assertThat(stats.batches().get(1).computeInfer()).isEqualTo(new TimedCount(2, 900));
    assertThat(stats.batches().get(1).computeInput()).isEqualTo(new TimedCount(2, 0));
    assertThat(stats.executionCount()).isEqualTo(3);
  }

  @Test
  void cacheHitsAreSuccessesWithoutQueueComputeOrInferences() {
    metrics.statistics().recordCacheHit(30);
    metrics.recordSuccess(2, Duration.ofNanos(80), Duration.ZERO, Duration.ZERO, true);
    metrics.statistics().recordCacheMiss(20);

    InferenceStatistics stats = metrics.statistics().snapshot();
    assertThat(stats.cacheHit()).isEqualTo(new TimedCount(1, 30));
    assertThat(stats.cacheMiss()).isEqualTo(new TimedCount(1, 20));
    assertThat(stats.success()).isEqualTo(new TimedCount(1, 80));
    assertThat(stats.inferenceCount()).isZero();
    assertThat(stats.queue()).isEqualTo(TimedCount.ZERO);
  }
}
