package dev.infera.core.routing.rollout;

import dev.infera.spi.InferenceException;

/**
 * The limits a candidate is judged against at the end of each step.
 *
 * @param minRequests answered requests each of baseline and candidate need in a window before a
 *     check gives PASS or FAIL
 * @param maxErrorRateDelta how much higher the candidate's error rate may be (absolute, 0.01 = one
 *     percentage point)
 * @param maxP99Ratio how much slower the candidate's p99 latency may be (candidate / baseline)
 * @param maxOutputPsi the largest population stability index of any output's distribution
 * @param maxKs the largest Kolmogorov-Smirnov distance of a continuous output's distribution
 * @param alpha the significance level of the tests (a difference with a p-value below it is
 *     significant)
 */
public record Criteria(
    long minRequests,
    double maxErrorRateDelta,
    double maxP99Ratio,
    double maxOutputPsi,
    double maxKs,
    double alpha) {

  public static final Criteria DEFAULTS = new Criteria(100, 0.01, 1.5, 0.2, 0.2, 0.01);

  public Criteria {
    require(minRequests >= 1, "min-requests " + minRequests + " (expected at least 1)");
    require(
        maxErrorRateDelta >= 0 && maxErrorRateDelta <= 1,
        "max-error-rate-delta " + maxErrorRateDelta + " (expected 0 to 1)");
    require(maxP99Ratio >= 1, "max-p99-ratio " + maxP99Ratio + " (expected at least 1)");
    require(maxOutputPsi > 0, "max-output-psi " + maxOutputPsi + " (expected more than 0)");
    require(maxKs > 0 && maxKs <= 1, "max-ks " + maxKs + " (expected more than 0, at most 1)");
    require(alpha > 0 && alpha < 0.5, "alpha " + alpha + " (expected between 0 and 0.5)");
  }

  /**
   * The criteria for the {@code look}-th judgement of one step (1 for the first, 2 after one
   * extension, …): a step that is judged again and again must not fail a good candidate by chance,
   * so the significance level is spent over the looks, {@code alpha / (look · (look + 1))}, whose
   * sum over every look stays below {@code alpha}.
   */
  public Criteria forLook(int look) {
    if (look < 1) {
      throw new IllegalArgumentException("look " + look + " (expected at least 1)");
    }
    return new Criteria(
        minRequests,
        maxErrorRateDelta,
        maxP99Ratio,
        maxOutputPsi,
        maxKs,
        alpha / (look * (look + 1.0)));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw InferenceException.invalidArgument(message);
    }
  }
}
