package dev.infera.core.monitoring;

/**
 * The drift measures, computed from a reference and a window sketch. Pure functions.
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

  /** PSI of a numeric window against its reference. */
  public static double numericPsi(ReferenceFeature reference, FeatureSketch window) {
    double[] edges = new double[PSI_BINS - 1];
    int n = 0;
    for (int i = 1; i < PSI_BINS; i++) {
      double edge = reference.quantile((double) i / PSI_BINS);
      if (n == 0 || edge > edges[n - 1]) {
        edges[n++] = edge;
      }
    }
    double psi = 0;
    double previousReference = 0;
    double previousWindow = 0;
    for (int i = 0; i <= n; i++) {
      double cumulativeReference = i < n ? reference.cdf(edges[i]) : 1;
      double cumulativeWindow = i < n ? window.cdf((float) edges[i]) : 1;
      psi += term(cumulativeReference - previousReference, cumulativeWindow - previousWindow);
      previousReference = cumulativeReference;
      previousWindow = cumulativeWindow;
    }
    return psi;
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

  /** The two-sample KS statistic D of a numeric window against its reference, in [0, 1]. */
  public static double ks(ReferenceFeature reference, FeatureSketch window) {
    double d = 0;
    for (int i = 0; i <= KS_POINTS; i++) {
      double rank = (double) i / KS_POINTS;
      double x = reference.quantile(rank);
      d = Math.max(d, Math.abs(reference.cdf(x) - window.cdf((float) x)));
      float y = window.quantile(rank);
      d = Math.max(d, Math.abs(reference.cdf(y) - window.cdf(y)));
    }
    return d;
  }

  /** The KS statistic above which two samples of these sizes differ at α = 0.05. */
  public static double ksCritical(long n, long m) {
    return KS_ALPHA_05 * Math.sqrt((double) (n + m) / ((double) n * m));
  }
}
