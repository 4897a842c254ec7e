package dev.infera.core.monitoring;

/**
 * The drift measures, computed from a reference and a window: drift monitoring's stored references
 * and window sketches, and the rollout judgement's baseline and candidate windows ({@link
 * Distribution#of}), one implementation for both. Pure functions.
 *
 * <ul>
 *   <li>PSI (population stability index) over ten bins cut at the reference's deciles (numbers) or
 *       over the reference's categories plus one bin for unseen ones (strings): {@code Σ (w − r)
 *       ln(w / r)}, shares floored at {@link #PSI_FLOOR} so that an empty bin stays finite. The
 *       usual reading: below 0.1 stable, 0.1–0.2 moderate, above 0.2 a significant shift.
 *   <li>KS (two-sample Kolmogorov-Smirnov statistic): the largest distance between the two
 *       cumulative distributions, evaluated at both sides' quantile points; compared with its
 *       critical value at α = 0.05, {@code 1.358 √((n + m) / (n m))}.
 * </ul>
 */
public final class DriftStatistics {
  static final double PSI_FLOOR = 1e-4;
  private static final int PSI_BINS = 10;
  private static final int KS_POINTS = 100;
  private static final double KS_ALPHA_05 = 1.358;

  private DriftStatistics() {}

  /** How PSI keeps a share of zero from making a term infinite. */
  public enum Smoothing {
    /** Shares floored at {@link #PSI_FLOOR} (drift monitoring: large windows). */
    FLOOR,
    /**
     * Each share as (count + ½) / (n + ½ · bins), so that an empty bin in a small window does not
     * weigh as a shift; PSI / (1/n₁ + 1/n₂) is then about χ² with bins − 1 degrees of freedom (the
     * rollout judgement's p-value).
     */
    HALF_COUNT
  }

  /** PSI of a numeric window against its reference, shares floored. */
  public static double numericPsi(ReferenceFeature reference, FeatureSketch window) {
    return psi(reference, window, Smoothing.FLOOR);
  }

  /**
   * PSI of {@code window} against {@code reference} over the reference's deciles (ties merged; a
   * reference of one value splits at that value).
   */
  public static double psi(Distribution reference, Distribution window, Smoothing smoothing) {
    double[] edges = psiEdges(reference);
    int bins = edges.length + 1;
    double psi = 0;
    double previousReference = 0;
    double previousWindow = 0;
    for (int i = 0; i < bins; i++) {
      double cumulativeReference = i < edges.length ? reference.cdf(edges[i]) : 1;
      double cumulativeWindow = i < edges.length ? window.cdf(edges[i]) : 1;
      double r = cumulativeReference - previousReference;
      double w = cumulativeWindow - previousWindow;
      psi +=
          smoothing == Smoothing.FLOOR
              ? term(r, w)
              : halfCountTerm(r, reference.count(), w, window.count(), bins);
      previousReference = cumulativeReference;
      previousWindow = cumulativeWindow;
    }
    return psi;
  }

  /** The bins {@link #psi} compares over: its degrees of freedom plus one. */
  public static int psiBins(Distribution reference) {
    return psiEdges(reference).length + 1;
  }

  private static double[] psiEdges(Distribution reference) {
    double[] edges = new double[PSI_BINS - 1];
    int n = 0;
    for (int i = 1; i < PSI_BINS; i++) {
      double edge = reference.quantile((double) i / PSI_BINS);
      if (n == 0 || edge > edges[n - 1]) {
        edges[n++] = edge;
      }
    }
    return java.util.Arrays.copyOf(edges, n);
  }

  private static double halfCountTerm(
      double referenceShare, long referenceCount, double windowShare, long windowCount, int bins) {
    double r = (referenceShare * referenceCount + 0.5) / (referenceCount + 0.5 * bins);
    double w = (windowShare * windowCount + 0.5) / (windowCount + 0.5 * bins);
    return (w - r) * Math.log(w / r);
  }

  /** PSI of a categorical window against its reference; unseen categories share one bin. */
  public static double categoricalPsi(ReferenceFeature reference, FeatureSketch window) {
    double total = window.count();
    double psi = 0;
    double seenWindow = 0;
    for (String category : reference.categories().keySet()) {
      double windowShare = window.estimate(category) / total;
      seenWindow += windowShare;
      psi += term(reference.share(category), windowShare);
    }
    psi += term(0, Math.max(0, 1 - seenWindow));
    return psi;
  }

  private static double term(double referenceShare, double windowShare) {
    double r = Math.max(referenceShare, PSI_FLOOR);
    double w = Math.max(windowShare, PSI_FLOOR);
    return (w - r) * Math.log(w / r);
  }

  /**
   * The two-sample KS statistic D of two distributions, in [0, 1]: the largest gap between their
   * CDFs, read at both sides' percentiles.
   */
  public static double ks(Distribution reference, Distribution window) {
    double d = 0;
    for (int i = 0; i <= KS_POINTS; i++) {
      double rank = (double) i / KS_POINTS;
      double x = reference.quantile(rank);
      d = Math.max(d, Math.abs(reference.cdf(x) - window.cdf(x)));
      double y = window.quantile(rank);
      d = Math.max(d, Math.abs(reference.cdf(y) - window.cdf(y)));
    }
    return d;
  }

  /** The KS statistic above which two samples of these sizes differ at α = 0.05. */
  public static double ksCritical(long n, long m) {
    return KS_ALPHA_05 * Math.sqrt((double) (n + m) / ((double) n * m));
  }
}
