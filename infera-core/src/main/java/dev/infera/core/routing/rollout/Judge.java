package dev.infera.core.routing.rollout;

import dev.infera.core.monitoring.Distribution;
import dev.infera.core.monitoring.DriftStatistics;
import dev.infera.core.routing.rollout.VariantWindow.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Compares a candidate's step window with the baseline's: error rate (two-proportion z-test),
 * latency (Mann-Whitney U on the sampled latencies and the ratio of p99s), and each output's
 * distribution (population stability index over the baseline's deciles, and the Kolmogorov-Smirnov
 * distance between the two distributions). Each check needs {@link Criteria#minRequests} answered
 * requests on both sides, else it is INCONCLUSIVE.
 *
 * <p>Pure: no clock, no state; docs/rollouts.md explains each rule.
 */
public final class Judge {
  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

  private Judge() {}

  public static Judgement judge(
      Sample baseline, Sample candidate, Criteria criteria, long atMillis) {
    return judge(baseline, candidate, criteria, atMillis, true);
  }

  /**
   * @param sameWindow whether the baseline was measured in the same window as the candidate; when
   *     it was not (a 100 % step, judged against the previous step's baseline), latencies measured
   *     under different loads are not compared and the latency check is left out
   */
  public static Judgement judge(
      Sample baseline, Sample candidate, Criteria criteria, long atMillis, boolean sameWindow) {
    List<Check> checks = new ArrayList<>();
    checks.add(errorRate(baseline, candidate, criteria));
    if (sameWindow) {
      checks.add(latency(baseline, candidate, criteria));
    }
    for (String output : new TreeSet<>(baseline.outputs().keySet())) {
      KllDoublesSketch candidateValues = candidate.outputs().get(output);
      checks.add(
          output(
              output,
              baseline.outputs().get(output),
              candidateValues,
              Math.min(baseline.answered(), candidate.answered()),
              criteria));
    }
    return new Judgement(Judgement.overall(checks), checks, atMillis);
  }

  static Check errorRate(Sample baseline, Sample candidate, Criteria criteria) {
    long n1 = baseline.requests();
    long n2 = candidate.requests();
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("baseline_requests", (double) n1);
    figures.put("candidate_requests", (double) n2);
    if (Math.min(n1, n2) < criteria.minRequests()) {
      return new Check(
          "error_rate",
          Verdict.INCONCLUSIVE,
          figures,
          "too few requests (" + Math.min(n1, n2) + " < " + criteria.minRequests() + ")");
    }
    double p1 = (double) baseline.errors() / n1;
    double p2 = (double) candidate.errors() / n2;
    double pooled = (double) (baseline.errors() + candidate.errors()) / (n1 + n2);
    double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
    double z = se == 0 ? 0 : (p2 - p1) / se;
    double pValue = 1 - NORMAL.cumulativeProbability(z);
    figures.put("baseline_error_rate", p1);
    figures.put("candidate_error_rate", p2);
    figures.put("delta", p2 - p1);
    figures.put("z", z);
    figures.put("p_value", pValue);
    String rates = String.format("error rate %.4f vs baseline %.4f", p2, p1);
    if (p2 - p1 <= criteria.maxErrorRateDelta()) {
      return new Check("error_rate", Verdict.PASS, figures, rates);
    }
    if (pValue < criteria.alpha()) {
      return new Check(
          "error_rate",
          Verdict.FAIL,
          figures,
          rates
              + String.format(
                  ", higher by more than %.4f (one-sided p %.2g)",
                  criteria.maxErrorRateDelta(), pValue));
    }
    return new Check(
        "error_rate", Verdict.INCONCLUSIVE, figures, rates + ", difference not significant yet");
  }

  static Check latency(Sample baseline, Sample candidate, Criteria criteria) {
    Map<String, Double> figures = new LinkedHashMap<>();
    long n = Math.min(baseline.answered(), candidate.answered());
    figures.put("baseline_answered", (double) baseline.answered());
    figures.put("candidate_answered", (double) candidate.answered());
    if (n < criteria.minRequests()) {
      return new Check(
          "latency",
          Verdict.INCONCLUSIVE,
          figures,
          "too few answers (" + n + " < " + criteria.minRequests() + ")");
    }
    double p99Base = baseline.latency().getQuantile(0.99);
    double p99Candidate = candidate.latency().getQuantile(0.99);
    double ratio = p99Base <= 0 ? 1 : p99Candidate / p99Base;
    double twoSided =
        new MannWhitneyUTest().mannWhitneyUTest(candidate.latencies(), baseline.latencies());
    boolean slower = candidate.latency().getQuantile(0.5) > baseline.latency().getQuantile(0.5);
    double pValue = slower ? twoSided / 2 : 1 - twoSided / 2;
    figures.put("baseline_p99_seconds", p99Base);
    figures.put("candidate_p99_seconds", p99Candidate);
    figures.put("p99_ratio", ratio);
    figures.put("mann_whitney_p_value", pValue);
    String text =
        String.format(
            "p99 %.2f ms vs baseline %.2f ms (ratio %.2f)",
            p99Candidate * 1000, p99Base * 1000, ratio);
    if (ratio <= criteria.maxP99Ratio()) {
      return new Check("latency", Verdict.PASS, figures, text);
    }
    if (pValue < criteria.alpha()) {
      return new Check(
          "latency",
          Verdict.FAIL,
          figures,
          text
              + String.format(
                  ", above %.2f and slower by Mann-Whitney U (one-sided p %.2g)",
                  criteria.maxP99Ratio(), pValue));
    }
    return new Check(
        "latency", Verdict.INCONCLUSIVE, figures, text + ", but not significantly slower");
  }

  static Check output(
      String name,
      KllDoublesSketch baseline,
      KllDoublesSketch candidate,
      long answered,
      Criteria criteria) {
    String check = "output:" + name;
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("answered", (double) answered);
    if (answered < criteria.minRequests() || candidate == null || candidate.isEmpty()) {
      return new Check(
          check,
          Verdict.INCONCLUSIVE,
          figures,
          "too few answers (" + answered + " < " + criteria.minRequests() + ")");
    }
    double psi = psi(baseline, candidate);
    int bins = binsOf(baseline);
    double psiP =
        bins < 2
            ? 1
            : 1
                - new ChiSquaredDistribution(bins - 1)
                    .cumulativeProbability(psi / (1.0 / baseline.getN() + 1.0 / candidate.getN()));
    double ks = ksDistance(baseline, candidate);
    double ksP =
        new KolmogorovSmirnovTest()
            .approximateP(
                ks,
                (int) Math.min(Integer.MAX_VALUE, baseline.getN()),
                (int) Math.min(Integer.MAX_VALUE, candidate.getN()));
    figures.put("psi", psi);
    figures.put("psi_p_value", psiP);
    figures.put("ks", ks);
    figures.put("ks_p_value", ksP);
    figures.put("baseline_median", baseline.getQuantile(0.5));
    figures.put("candidate_median", candidate.getQuantile(0.5));
    String text = String.format("PSI %.3f, KS distance %.3f", psi, ks);
    if (psi > criteria.maxOutputPsi() && psiP < criteria.alpha()) {
      return new Check(
          check,
          Verdict.FAIL,
          figures,
          text + String.format(" (PSI above %.3f)", criteria.maxOutputPsi()));
    }
    if (ks > criteria.maxKs() && ksP < criteria.alpha()) {
      return new Check(
          check,
          Verdict.FAIL,
          figures,
          text + String.format(" (KS above %.3f, p %.2g)", criteria.maxKs(), ksP));
    }
    return new Check(check, Verdict.PASS, figures, text);
  }

  /**
   * Population stability index of the candidate against the baseline over the baseline's deciles,
   * shares smoothed by half a count ({@link DriftStatistics.Smoothing#HALF_COUNT}): under equal
   * distributions PSI / (1/n₁ + 1/n₂) is about χ² with bins − 1 degrees of freedom, which gives its
   * p-value.
   */
  static double psi(KllDoublesSketch baseline, KllDoublesSketch candidate) {
    return DriftStatistics.psi(
        Distribution.of(baseline),
        Distribution.of(candidate),
        DriftStatistics.Smoothing.HALF_COUNT);
  }

  private static int binsOf(KllDoublesSketch baseline) {
    return DriftStatistics.psiBins(Distribution.of(baseline));
  }

  /** The largest gap between the two distributions' CDFs, read at both sketches' percentiles. */
  static double ksDistance(KllDoublesSketch baseline, KllDoublesSketch candidate) {
    return DriftStatistics.ks(Distribution.of(baseline), Distribution.of(candidate));
  }
}
