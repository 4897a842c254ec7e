package dev.infera.core.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftStatisticsTest {
  private static FeatureSketch normal(long seed, int n, double mean) {
    Random random = new Random(seed);
    FeatureSketch sketch = FeatureSketch.empty(FeatureKind.NUMERIC);
    for (int i = 0; i < n; i++) {
      sketch.add((float) (mean + random.nextGaussian()));
    }
    return sketch;
  }

  @Test
  void sameDistributionHasLowPsi() {
    ReferenceFeature reference = normal(1, 20_000, 0).freeze("x");
    FeatureSketch window = normal(2, 5_000, 0);

    assertThat(DriftStatistics.numericPsi(reference, window)).isLessThan(0.02);
  }

  /**
   * At the reference sizes for which the monitor judges by KS (at most {@link
   * VersionMonitor#KS_MAX_REFERENCE} values). With a reference of 20,000 the critical value (0.021)
   * is no larger than what the two KLL sketches' random compaction alone adds to D (up to about
   * 0.013 each), which is one reason the monitor judges large references by PSI.
   */
  @Test
  void sameDistributionHasKsBelowItsCriticalValue() {
    ReferenceFeature reference = normal(1, 1_000, 0).freeze("x");
    FeatureSketch window = normal(2, 5_000, 0);

    assertThat(DriftStatistics.ks(reference, window))
        .isLessThan(DriftStatistics.ksCritical(1_000, 5_000));
  }

  @Test
  void aMeanShiftOfTwoStandardDeviationsIsASignificantShift() {
    ReferenceFeature reference = normal(1, 20_000, 0).freeze("x");
    FeatureSketch window = normal(2, 5_000, 2);

    assertThat(DriftStatistics.numericPsi(reference, window)).isGreaterThan(1.0);
    assertThat(DriftStatistics.ks(reference, window)).isGreaterThan(0.6);
  }

  @Test
  void aSmallShiftIsSeenByKsBeforePsiCallsItSignificant() {
    ReferenceFeature reference = normal(1, 20_000, 0).freeze("x");
    FeatureSketch window = normal(2, 5_000, 0.15);

    assertThat(DriftStatistics.numericPsi(reference, window)).isLessThan(0.1);
    assertThat(DriftStatistics.ks(reference, window))
        .isGreaterThan(DriftStatistics.ksCritical(20_000, 5_000));
  }

  @Test
  void ksCriticalValueShrinksWithSampleSize() {
    assertThat(DriftStatistics.ksCritical(100, 100))
        .isCloseTo(0.192, org.assertj.core.data.Offset.offset(0.001));
    assertThat(DriftStatistics.ksCritical(10_000, 10_000)).isLessThan(0.02);
  }

  @Test
  void categoricalPsiComparesSharesAndCountsUnseenCategoriesTogether() {
    FeatureSketch reference = FeatureSketch.empty(FeatureKind.CATEGORICAL);
    FeatureSketch same = FeatureSketch.empty(FeatureKind.CATEGORICAL);
    FeatureSketch moved = FeatureSketch.empty(FeatureKind.CATEGORICAL);
    for (int i = 0; i < 1000; i++) {
      reference.add(i % 4 == 0 ? "red" : "blue");
      same.add(i % 4 == 1 ? "red" : "blue");
      moved.add(i % 2 == 0 ? "green" : "blue");
    }
    ReferenceFeature frozen = reference.freeze("colour");

    assertThat(DriftStatistics.categoricalPsi(frozen, same)).isLessThan(0.01);
    assertThat(DriftStatistics.categoricalPsi(frozen, moved)).isGreaterThan(1.0);
  }

  @Test
  void referenceCdfInterpolatesBetweenStoredQuantiles() {
    double[] quantiles = new double[ReferenceFeature.QUANTILE_POINTS];
    for (int i = 0; i < quantiles.length; i++) {
      quantiles[i] = i; // uniform on [0, 200]
    }
    ReferenceFeature uniform = ReferenceFeature.numeric("u", 1000, quantiles);

    assertThat(uniform.cdf(-1)).isZero();
    assertThat(uniform.cdf(50)).isEqualTo(0.25);
    assertThat(uniform.cdf(50.5)).isCloseTo(0.2525, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(uniform.cdf(200)).isEqualTo(1.0);
    assertThat(uniform.quantile(0.5)).isEqualTo(100);
  }
}
