package dev.infera.core.monitoring;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * A one-dimensional numeric distribution as the drift measures read it ({@link DriftStatistics}): a
 * stored reference, a window's sketch, or any KLL sketch (the rollout judgement's windows).
 */
public interface Distribution {
  /** Values summarised. */
  long count();

  /** The share of values at or below {@code value}. */
  double cdf(double value);

  /** The value at a normalised rank in [0, 1]. */
  double quantile(double rank);

  /** A KLL sketch of doubles as a distribution; reads it live (no copy). */
  static Distribution of(KllDoublesSketch sketch) {
    return new Distribution() {
      @Override
      public long count() {
        return sketch.getN();
      }

      @Override
      public double cdf(double value) {
        return sketch.getRank(value, QuantileSearchCriteria.INCLUSIVE);
      }

      @Override
      public double quantile(double rank) {
        return sketch.getQuantile(rank);
      }
    };
  }
}
