package dev.infera.core.monitoring;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What drift monitoring knows of one model version at one moment: the reference it compares with,
 * and every watched feature, most drifted first. Immutable.
 *
 * @param model the model
 * @param version the version
 * @param reference where the reference comes from: {@code profile} (a stored profile), {@code
 *     traffic} (the version's first rows), or {@code building} (still collecting those rows)
 * @param referenceRows rows the reference summarises (or collected so far while building)
 * @param profileProblem why a stored profile was not used, when one was present but did not fit
 * @param window the window live traffic is compared over
 * @param features the watched features, highest score relative to its threshold first
 * @param rows rows observed since monitoring started
 * @param rejected requests refused before reaching the model
 * @param sketchBytes memory held by the window sketches, in bytes (serialised size)
 */
public record DriftReport(
    String model,
    String version,
    String reference,
    long referenceRows,
    Optional<String> profileProblem,
    Duration window,
    List<Feature> features,
    long rows,
    long rejected,
    long sketchBytes) {

  public DriftReport {
    features = List.copyOf(features);
  }

  /** The features whose primary score is above its threshold. */
  public List<Feature> drifted() {
    return features.stream().filter(Feature::drifted).toList();
  }

  /**
   * One feature's figures.
   *
   * @param name the feature: a tensor name, with {@code [column]} for one column of it
   * @param kind numeric or categorical
   * @param method the primary method ({@code psi} or {@code ks}); empty while too few samples
   * @param score the primary method's score; NaN while too few samples
   * @param threshold the score above which the feature counts as drifted
   * @param drifted whether the score is above the threshold
   * @param psi the PSI; NaN while too few samples
   * @param ks the KS statistic (numeric features); NaN otherwise
   * @param referenceCount values in the reference
   * @param windowCount values in the current window
   * @param quality data-quality counts since monitoring started
   */
  public record Feature(
      String name,
      FeatureKind kind,
      String method,
      double score,
      double threshold,
      boolean drifted,
      double psi,
      double ks,
      long referenceCount,
      long windowCount,
      Quality quality) {}

  /** Data-quality counts of one feature. */
  public record Quality(long nan, long infinite, long outOfRange, long unknownCategory) {}
}
