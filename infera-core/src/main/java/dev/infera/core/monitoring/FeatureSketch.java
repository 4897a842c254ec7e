package dev.infera.core.monitoring;

import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The summary of one feature's values over some stretch of traffic: a KLL sketch for numbers or a
 * frequent-items sketch for categories, plus exact counts. Bounded in memory whatever the traffic.
 *
 * <p>Not thread-safe: owned by the monitoring thread (or by one profile builder).
 */
public final class FeatureSketch implements Distribution {
  /** KLL's accuracy parameter: normalised rank error about 1.65 % at the 99th percentile. */
  static final int KLL_K = 200;

  /** Categories tracked exactly before the frequent-items sketch starts to approximate. */
  static final int MAX_CATEGORIES = 64;

  private final FeatureKind kind;
  private final KllFloatsSketch numbers;
  private final ItemsSketch<String> categories;

  private FeatureSketch(FeatureKind kind, KllFloatsSketch numbers, ItemsSketch<String> categories) {
    this.kind = kind;
    this.numbers = numbers;
    this.categories = categories;
  }

  public static FeatureSketch empty(FeatureKind kind) {
    return kind == FeatureKind.NUMERIC
        ? new FeatureSketch(kind, KllFloatsSketch.newHeapInstance(KLL_K), null)
        : new FeatureSketch(kind, null, new ItemsSketch<>(MAX_CATEGORIES));
  }

  public FeatureKind kind() {
    return kind;
  }

  /** Adds one finite number (callers count NaN and infinities as data-quality issues instead). */
  public void add(float value) {
    numbers.update(value);
  }

  public void add(String category) {
    categories.update(category);
  }

  /** Values summarised so far. */
  public long count() {
    return kind == FeatureKind.NUMERIC ? numbers.getN() : categories.getStreamLength();
  }

  public boolean isEmpty() {
    return count() == 0;
  }

  /** Folds another sketch of the same kind into this one. */
  public void merge(FeatureSketch other) {
    if (other.isEmpty()) {
      return;
    }
    if (kind == FeatureKind.NUMERIC) {
      numbers.merge(other.numbers);
    } else {
      categories.merge(other.categories);
    }
  }

  public void reset() {
    if (kind == FeatureKind.NUMERIC) {
      numbers.reset();
    } else {
      categories.reset();
    }
  }

  /** The share of values at or below {@code value}; numeric sketches only. */
  @Override
  public double cdf(double value) {
    return numbers.getRank((float) value, QuantileSearchCriteria.INCLUSIVE);
  }

  /** The value at a normalised rank in [0, 1]; numeric sketches only. */
  @Override
  public double quantile(double rank) {
    return numbers.getQuantile(rank);
  }

  float min() {
    return numbers.getMinItem();
  }

  float max() {
    return numbers.getMaxItem();
  }

  /** The estimated count of a category; categorical sketches only. */
  long estimate(String category) {
    return categories.getEstimate(category);
  }

  /** The categories seen, most frequent first (all of them while fewer than the map's size). */
  String[] categories() {
    ItemsSketch.Row<String>[] rows = categories.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
    String[] names = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      names[i] = rows[i].getItem();
    }
    return names;
  }

  /** Whether every category seen is tracked exactly (none was evicted by the sketch). */
  boolean categoriesComplete() {
    return categories.getMaximumError() == 0;
  }

  /** Bytes this sketch would take serialised; its heap footprint is of the same order. */
  public int sizeBytes() {
    return kind == FeatureKind.NUMERIC
        ? numbers.getSerializedSizeBytes()
        : MAX_CATEGORIES * 48; // the frequent-items map's capacity, at about 48 bytes a slot
  }

  /** A reference distribution frozen from this sketch: quantiles or category counts. */
  public ReferenceFeature freeze(String name) {
    if (kind == FeatureKind.NUMERIC) {
      double[] quantiles = new double[ReferenceFeature.QUANTILE_POINTS];
      for (int i = 0; i < quantiles.length; i++) {
        quantiles[i] = numbers.getQuantile((double) i / (quantiles.length - 1));
      }
      return ReferenceFeature.numeric(name, numbers.getN(), quantiles);
    }
    java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
    for (String category : categories()) {
      counts.put(category, categories.getEstimate(category));
    }
    return ReferenceFeature.categorical(name, categories.getStreamLength(), counts);
  }
}
