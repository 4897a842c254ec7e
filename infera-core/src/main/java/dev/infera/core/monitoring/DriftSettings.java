package dev.infera.core.monitoring;

import java.time.Duration;

/**
 * How drift and data quality are watched; one set for the server, defaults in {@link #DEFAULTS}.
 *
 * @param window the sliding window live traffic is compared over
 * @param subWindows how many slices the window moves by (the window advances one slice at a time)
 * @param referenceRows rows of live traffic that become the reference when a version has no stored
 *     profile
 * @param minSamples values each side needs before a feature gets a score
 * @param psiThreshold the PSI above which a feature counts as drifted
 * @param maxColumns columns of a tensor watched one by one; wider tensors are watched as one
 *     feature over a sample of this many elements per row
 * @param maxFeatures features watched per version at most (inputs first, then outputs)
 * @param queueCapacity observations waiting for the monitoring thread; beyond it they are dropped
 *     and counted
 * @param scoreInterval how often scores are recomputed
 */
public record DriftSettings(
    Duration window,
    int subWindows,
    long referenceRows,
    long minSamples,
    double psiThreshold,
    int maxColumns,
    int maxFeatures,
    int queueCapacity,
    Duration scoreInterval) {

  public static final DriftSettings DEFAULTS =
      new DriftSettings(
          Duration.ofMinutes(5), 5, 1000, 100, 0.2, 128, 256, 4096, Duration.ofSeconds(1));

  public DriftSettings {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("drift window must be positive: " + window);
    }
    if (subWindows < 1 || subWindows > 60) {
      throw new IllegalArgumentException("drift sub-windows must be 1..60: " + subWindows);
    }
    if (referenceRows < 1 || minSamples < 1 || maxColumns < 1 || maxFeatures < 1) {
      throw new IllegalArgumentException("drift counts must be positive");
    }
    if (!(psiThreshold > 0)) {
      throw new IllegalArgumentException("PSI threshold must be positive: " + psiThreshold);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("drift queue capacity must be positive");
    }
  }

  public DriftSettings withWindow(Duration newWindow) {
    return new DriftSettings(
        newWindow,
        subWindows,
        referenceRows,
        minSamples,
        psiThreshold,
        maxColumns,
        maxFeatures,
        queueCapacity,
        scoreInterval);
  }

  public DriftSettings withReferenceRows(long rows) {
    return new DriftSettings(
        window,
        subWindows,
        rows,
        minSamples,
        psiThreshold,
        maxColumns,
        maxFeatures,
        queueCapacity,
        scoreInterval);
  }

  public DriftSettings withMinSamples(long samples) {
    return new DriftSettings(
        window,
        subWindows,
        referenceRows,
        samples,
        psiThreshold,
        maxColumns,
        maxFeatures,
        queueCapacity,
        scoreInterval);
  }

  Duration subWindow() {
    return window.dividedBy(subWindows);
  }
}
