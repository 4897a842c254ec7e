package dev.infera.core.monitoring;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A feature's reference distribution, as stored in a profile: for numbers, {@link #QUANTILE_POINTS}
 * quantiles at evenly spaced ranks from 0 (the minimum) to 1 (the maximum); for categories, the
 * count of each category. Immutable.
 *
 * @param name the feature's name, such as {@code INPUT0[3]}
 * @param kind numeric or categorical
 * @param count the values the reference summarises
 * @param quantiles numeric only: non-decreasing, {@link #QUANTILE_POINTS} values; empty otherwise
 * @param categories categorical only: count per category; empty otherwise
 */
public record ReferenceFeature(
    String name, FeatureKind kind, long count, double[] quantiles, Map<String, Long> categories)
    implements Distribution {

  /** Quantiles a numeric reference keeps: ranks 0, 0.005, …, 1. */
  public static final int QUANTILE_POINTS = 201;

  public ReferenceFeature {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    quantiles = quantiles.clone();
    categories = Map.copyOf(categories);
    if (count < 0) {
      throw new IllegalArgumentException("feature '" + name + "': negative count " + count);
    }
    if (kind == FeatureKind.NUMERIC) {
      if (count > 0 && quantiles.length != QUANTILE_POINTS) {
        throw new IllegalArgumentException(
            "feature '"
                + name
                + "': "
                + quantiles.length
                + " quantiles (expected "
                + QUANTILE_POINTS
                + ")");
      }
      for (int i = 1; i < quantiles.length; i++) {
        if (!(quantiles[i] >= quantiles[i - 1])) {
          throw new IllegalArgumentException(
              "feature '" + name + "': quantiles must be finite and non-decreasing");
        }
      }
    }
  }

  static ReferenceFeature numeric(String name, long count, double[] quantiles) {
    return new ReferenceFeature(
        name, FeatureKind.NUMERIC, count, count == 0 ? new double[0] : quantiles, Map.of());
  }

  static ReferenceFeature categorical(String name, long count, Map<String, Long> categories) {
    return new ReferenceFeature(
        name, FeatureKind.CATEGORICAL, count, new double[0], new LinkedHashMap<>(categories));
  }

  @Override
  public double[] quantiles() {
    return quantiles.clone();
  }

  double min() {
    return quantiles[0];
  }

  double max() {
    return quantiles[quantiles.length - 1];
  }

  /** The quantile at a rank in [0, 1], interpolated between the stored points. */
  @Override
  public double quantile(double rank) {
    double position = rank * (quantiles.length - 1);
    int low = (int) Math.floor(position);
    if (low >= quantiles.length - 1) {
      return quantiles[quantiles.length - 1];
    }
    double fraction = position - low;
    return quantiles[low] + fraction * (quantiles[low + 1] - quantiles[low]);
  }

  /**
   * The share of reference values at or below {@code value}: the highest stored rank whose quantile
   * is at most the value, interpolated linearly inside a gap between two quantiles.
   */
  @Override
  public double cdf(double value) {
    if (value < quantiles[0]) {
      return 0;
    }
    if (value >= quantiles[quantiles.length - 1]) {
      return 1;
    }
    int index = Arrays.binarySearch(quantiles, value);
    int last = quantiles.length - 1;
    if (index >= 0) {
      while (index < last && quantiles[index + 1] == value) {
        index++;
      }
      return (double) index / last;
    }
    int upper = -index - 1; // first quantile above the value
    int lower = upper - 1;
    double span = quantiles[upper] - quantiles[lower];
    double fraction = span == 0 ? 0 : (value - quantiles[lower]) / span;
    return (lower + fraction) / last;
  }

  /** The share of reference values in a category; 0 for one never seen. */
  double share(String category) {
    Long n = categories.get(category);
    return n == null || count == 0 ? 0 : (double) n / count;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReferenceFeature r
        && name.equals(r.name)
        && kind == r.kind
        && count == r.count
        && Arrays.equals(quantiles, r.quantiles)
        && categories.equals(r.categories);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, kind, count, Arrays.hashCode(quantiles), categories);
  }

  @Override
  public String toString() {
    return "ReferenceFeature[" + name + ", " + kind + ", n=" + count + "]";
  }
}
