package dev.infera.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JitSettlingTest {
  @Test
  void fallingCpuPerRequestIsNotSettled() {
    JitSettling settling = new JitSettling(3, 0);
    assertThat(settling.add(1_000_000, 10)).isFalse();
    assertThat(settling.add(700_000, 10)).isFalse();
    assertThat(settling.add(500_000, 10)).isFalse();
    assertThat(settling.add(300_000, 10)).isFalse();
    assertThat(settling.lastNanosPerRequest()).isEqualTo(30_000.0);
    assertThat(settling.lastChange()).isCloseTo(-0.4, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void twoWindowsWithinTenPercentAfterTheMinimumSettle() {
    JitSettling settling = new JitSettling(3, 0);
    assertThat(settling.add(1_000_000, 10)).isFalse();
    assertThat(settling.add(500_000, 10)).isFalse();
    assertThat(settling.add(480_000, 10)).isFalse(); // one stable step
    assertThat(settling.add(470_000, 10)).isTrue();
  }

  @Test
  void aFallAfterStableWindowsStartsTheCountAgain() {
    JitSettling settling = new JitSettling(2, 0);
    settling.add(500_000, 10);
    settling.add(490_000, 10);
    assertThat(settling.add(300_000, 10)).isFalse();
    assertThat(settling.add(295_000, 10)).isFalse();
    assertThat(settling.add(300_000, 10)).isTrue();
  }

  @Test
  void windowsWithoutRequestsAreIgnored() {
    JitSettling settling = new JitSettling(2, 0);
    assertThat(settling.add(5_000_000, 0)).isFalse();
    assertThat(settling.lastNanosPerRequest()).isNaN();
  }

  @Test
  void theMinimumNumberOfWindowsHolds() {
    JitSettling settling = new JitSettling(5, 0);
    for (int i = 0; i < 4; i++) {
      assertThat(settling.add(100_000, 10)).isFalse();
    }
    assertThat(settling.add(100_000, 10)).isTrue();
  }

  @Test
  void aSteadyReadingBelowTheRequestFloorIsNotSettled() {
    JitSettling settling = new JitSettling(2, 100);
    assertThat(settling.add(100_000, 30)).isFalse();
    assertThat(settling.add(100_000, 30)).isFalse();
    assertThat(settling.add(100_000, 30)).isFalse();
    assertThat(settling.add(100_000, 30)).isTrue();
  }

  @Test
  void windowsWhileTheCompilersAreBusyDoNotCountAsStable() {
    JitSettling settling = new JitSettling(2, 0);
    settling.add(500_000, 10, 0.0);
    // Flat, then rising: the compilers hold the reading up while C2 works through its queue.
    assertThat(settling.add(500_000, 10, 0.9)).isFalse();
    assertThat(settling.add(600_000, 10, 1.0)).isFalse();
    assertThat(settling.add(590_000, 10, 0.3)).isFalse();
    assertThat(settling.add(300_000, 10, 0.1)).isFalse(); // the compiled code arrived: a fall
    assertThat(settling.add(290_000, 10, 0.05)).isFalse();
    assertThat(settling.add(295_000, 10, 0.0)).isTrue();
  }

  @Test
  void anUnknownCompilerTimeLeavesTheReadingToDecide() {
    JitSettling settling = new JitSettling(2, 0);
    settling.add(500_000, 10, Double.NaN);
    settling.add(490_000, 10, Double.NaN);
    assertThat(settling.add(495_000, 10, Double.NaN)).isTrue();
  }
}
