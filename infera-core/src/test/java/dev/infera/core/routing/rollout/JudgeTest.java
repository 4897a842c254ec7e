package dev.infera.core.routing.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.routing.rollout.VariantWindow.Sample;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The judgement on synthetic samples: equal, different, and too few. */
class JudgeTest {
  private static final Criteria CRITERIA = Criteria.DEFAULTS;

  /**
   * A window of n requests: errors failed, latencies ~ N(latencyMs, 10 %), outputs ~ N(mean, 1).
   */
  private static Sample window(int n, int errors, double latencyMs, double outputMean, long seed) {
    Random random = new Random(seed);
    VariantWindow window = new VariantWindow();
    for (int i = 0; i < n - errors; i++) {
      double latency = latencyMs / 1000 * (1 + 0.1 * random.nextGaussian());
      window.answered(
          latency, Map.of("OUTPUT0", new double[] {outputMean + random.nextGaussian()}));
    }
    for (int i = 0; i < errors; i++) {
      window.failed();
    }
    return window.sample();
  }

  private static Verdict verdictOf(Judgement judgement, String check) {
    return judgement.checks().stream()
        .filter(c -> c.name().equals(check))
        .findFirst()
        .orElseThrow()
        .verdict();
  }

  @Test
  void equalDistributionsPass() {
    Judgement j = Judge.judge(window(2000, 4, 5, 0, 1), window(2000, 5, 5, 0, 2), CRITERIA, 0);

    assertThat(j.verdict()).isEqualTo(Verdict.PASS);
    assertThat(j.checks())
        .extracting(Check::name)
        .containsExactly("error_rate", "latency", "output:OUTPUT0");
  }

  @Test
  void shiftedOutputsFailTheOutputCheckOnly() {
    Judgement j = Judge.judge(window(2000, 0, 5, 0, 1), window(2000, 0, 5, 3, 2), CRITERIA, 0);

    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(verdictOf(j, "output:OUTPUT0")).isEqualTo(Verdict.FAIL);
    assertThat(verdictOf(j, "error_rate")).isEqualTo(Verdict.PASS);
    assertThat(verdictOf(j, "latency")).isEqualTo(Verdict.PASS);
    assertThat(j.checks().get(2).figures().get("psi")).isGreaterThan(CRITERIA.maxOutputPsi());
  }

  @Test
  void aHigherErrorRateFailsTheErrorCheck() {
    Judgement j = Judge.judge(window(2000, 10, 5, 0, 1), window(2000, 200, 5, 0, 2), CRITERIA, 0);

    assertThat(verdictOf(j, "error_rate")).isEqualTo(Verdict.FAIL);
    assertThat(j.checks().get(0).figures().get("p_value")).isLessThan(0.001);
    assertThat(j.failures()).contains("error_rate");
  }

  @Test
  void aSlowerCandidateFailsTheLatencyCheck() {
    Judgement j = Judge.judge(window(2000, 0, 5, 0, 1), window(2000, 0, 12, 0, 2), CRITERIA, 0);

    assertThat(verdictOf(j, "latency")).isEqualTo(Verdict.FAIL);
    assertThat(j.checks().get(1).figures().get("p99_ratio")).isGreaterThan(2);
  }

  @Test
  void tooFewSamplesAreInconclusive() {
    Judgement j = Judge.judge(window(50, 0, 5, 0, 1), window(50, 25, 50, 9, 2), CRITERIA, 0);

    assertThat(j.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(j.checks()).allMatch(c -> c.verdict() == Verdict.INCONCLUSIVE);
    assertThat(j.checks().get(0).detail()).contains("too few requests (50 < 100)");
  }

  @Test
  void aSmallInsignificantErrorExcessIsInconclusive() {
    Criteria strict = new Criteria(100, 0.0, 1.5, 0.2, 0.2, 0.01);

    Judgement j = Judge.judge(window(200, 2, 5, 0, 1), window(200, 4, 5, 0, 2), strict, 0);

    assertThat(verdictOf(j, "error_rate")).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void theSignificanceLevelIsSpentOverTheLooksOfAStep() {
    assertThat(CRITERIA.forLook(1).alpha()).isEqualTo(CRITERIA.alpha() / 2);
    assertThat(CRITERIA.forLook(2).alpha()).isEqualTo(CRITERIA.alpha() / 6);
    double spent = 0;
    for (int look = 1; look <= 1000; look++) {
      spent += CRITERIA.forLook(look).alpha();
    }
    assertThat(spent).isLessThan(CRITERIA.alpha());
    assertThat(CRITERIA.forLook(3).maxP99Ratio()).isEqualTo(CRITERIA.maxP99Ratio());
  }

  /**
   * A 10 % canary of an identical version, judged after every extension of a growing window (as a
   * step that stays inconclusive is): with the level spent over the looks, few of 100 such steps
   * fail by chance, where a fixed level would fail several times as many.
   */
  @Test
  void anIdenticalCandidateJudgedAtEveryExtensionRarelyFailsByChance() {
    Criteria criteria = new Criteria(30, 0.01, 1.5, 0.2, 0.2, 0.01);
    int spentFailures = 0;
    int fixedFailures = 0;
    for (int step = 0; step < 100; step++) {
      Random random = new Random(step);
      VariantWindow baseline = new VariantWindow();
      VariantWindow candidate = new VariantWindow();
      boolean spentFailed = false;
      boolean fixedFailed = false;
      for (int look = 1; look <= 20; look++) {
        for (int i = 0; i < 150; i++) {
          VariantWindow side = random.nextInt(10) == 0 ? candidate : baseline;
          double latency = 0.005 * Math.exp(0.3 * random.nextGaussian());
          side.answered(latency, Map.of("OUTPUT0", new double[] {random.nextGaussian()}));
        }
        Sample b = baseline.sample();
        Sample c = candidate.sample();
        spentFailed |= Judge.judge(b, c, criteria.forLook(look), 0).verdict() == Verdict.FAIL;
        fixedFailed |= Judge.judge(b, c, criteria, 0).verdict() == Verdict.FAIL;
      }
      spentFailures += spentFailed ? 1 : 0;
      fixedFailures += fixedFailed ? 1 : 0;
    }

    assertThat(spentFailures).as("steps failed by chance, level spent").isLessThanOrEqualTo(3);
    assertThat(fixedFailures)
        .as("steps failed by chance, fixed level")
        .isGreaterThan(spentFailures);
  }
}
