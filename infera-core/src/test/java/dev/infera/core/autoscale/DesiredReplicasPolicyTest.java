package dev.infera.core.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The policy on synthetic load traces, one sample a second on a fake time line. Load is given in
 * replicas' worth: the meters a server would read are derived from it (4 instances, 2 ms batches, 4
 * requests a batch), so the right answer at every second is known. Each test prints the trace as a
 * table (docs/deploy/kubernetes.md quotes them).
 */
class DesiredReplicasPolicyTest {
  private static final int INSTANCES = 4;
  private static final double BATCH_SECONDS = 0.002;
  private static final AutoscaleSettings SETTINGS = AutoscaleSettings.DEFAULTS;

  /** One second of the simulation: the load and what the policy published. */
  private record Step(int second, double load, double desired) {}

  /** Feeds {@code load(t)} (replicas' worth) for {@code seconds} seconds. */
  private static List<Step> run(DoubleUnaryOperator load, int seconds) {
    DesiredReplicasPolicy policy = new DesiredReplicasPolicy(SETTINGS);
    double utilisation = DesiredReplicasPolicy.MAX_UTILISATION;
    double busy = 0;
    double executions = 0;
    List<Step> steps = new ArrayList<>();
    for (int t = 0; t <= seconds; t++) {
      double replicas = load.applyAsDouble(t);
      double busyThisSecond = replicas * INSTANCES * utilisation;
      busy += busyThisSecond;
      executions += busyThisSecond / BATCH_SECONDS;
      double desired =
          policy.update(
              new LoadSample(t * 1_000_000_000L, executions * 4, executions, busy, INSTANCES));
      steps.add(new Step(t, replicas, desired));
    }
    return steps;
  }

  /** How often ceil(desired) turned from rising to falling or back. */
  private static int reversals(List<Step> steps, int from) {
    int reversals = 0;
    int direction = 0;
    long last = (long) Math.ceil(steps.get(from).desired() - 1e-9);
    for (Step step : steps.subList(from, steps.size())) {
      long now = (long) Math.ceil(step.desired() - 1e-9);
      int moved = Long.compare(now, last);
      if (moved != 0) {
        if (direction != 0 && moved != direction) {
          reversals++;
        }
        direction = moved;
        last = now;
      }
    }
    return reversals;
  }

  private static void print(String name, List<Step> steps, int every) {
    System.out.println("trace " + name + ": second | load (replicas) | desired | ceil");
    for (Step step : steps) {
      if (step.second() % every == 0) {
        System.out.printf(
            "%s | %5d | %6.2f | %6.2f | %d%n",
            name,
            step.second(),
            step.load(),
            step.desired(),
            (long) Math.ceil(step.desired() - 1e-9));
      }
    }
  }

  @Test
  void theRawEstimateIsTheLoadInReplicas() {
    LoadSample from = new LoadSample(0, 0, 0, 0, 4);
    // 4 instances each busy 0.9 s of a second in 2 ms batches: exactly one replica at a 100 ms p99.
    LoadSample to = new LoadSample(1_000_000_000L, 7200, 1800, 3.6, 4);
    assertThat(DesiredReplicasPolicy.raw(from, to, Duration.ofMillis(100)))
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    // Slow batches leave less room before the p99 target: 20 ms batches allow 1 - 0.092/0.1 * ...
    LoadSample slow = new LoadSample(1_000_000_000L, 720, 180, 3.6, 4);
    double utilisation = 1 - 0.02 * Math.log(100) / 0.1;
    assertThat(DesiredReplicasPolicy.raw(from, slow, Duration.ofMillis(100)))
        .isCloseTo(3.6 / (4 * utilisation), org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aBurstRaisesDesiredReplicasWithinSecondsAndHoldsThemForTheScaleDownDelay() {
    List<Step> steps = run(t -> t >= 100 && t < 160 ? 6 : 0.5, 900);
    print("burst", steps, 20);
    assertThat(steps.get(110).desired()).as("10 s into the burst").isGreaterThanOrEqualTo(0.95 * 6);
    for (Step step : steps.subList(110, 160 + 300)) {
      assertThat(step.desired()).as("second %d", step.second()).isGreaterThanOrEqualTo(0.95 * 6);
    }
    assertThat(steps.get(900).desired()).as("long after").isLessThan(1.0);
    assertThat(reversals(steps, 0)).isLessThanOrEqualTo(1);
  }

  @Test
  void aRampIsFollowedWithAFewSecondsOfLag() {
    List<Step> steps = run(t -> 1 + 9 * Math.min(1, t / 600.0), 700);
    print("ramp", steps, 50);
    for (Step step : steps.subList(20, steps.size())) {
      double needed = 1 + 9 * Math.min(1, (step.second() - 10) / 600.0);
      // Within 1% of what the load needed 10 s earlier: the smoothing's lag and its tail.
      assertThat(step.desired())
          .as("second %d", step.second())
          .isGreaterThanOrEqualTo(0.99 * needed);
    }
    assertThat(reversals(steps, 0)).isZero();
  }

  @Test
  void aDiurnalCurveWithNoiseRisesAndFallsOncePerCycle() {
    Random random = new Random(42);
    double period = 7200;
    DoubleUnaryOperator clean = t -> 5 + 4 * Math.sin(2 * Math.PI * t / period);
    List<Step> steps =
        run(t -> clean.applyAsDouble(t) * (1 + 0.3 * (random.nextDouble() - 0.5)), 14400);
    print("diurnal", steps, 600);
    for (Step step : steps.subList(20, steps.size())) {
      assertThat(step.desired())
          .as("second %d", step.second())
          .isGreaterThanOrEqualTo(0.9 * clean.applyAsDouble(step.second() - 10));
    }
    // Two cycles starting mid-rise: up, down, up, down, up is four turns; noise adds none.
    assertThat(reversals(steps, 0)).isLessThanOrEqualTo(4);
  }

  @Test
  void noiseAroundASteadyLoadDoesNotOscillate() {
    Random random = new Random(7);
    List<Step> steps = run(t -> 4 * (1 + 0.6 * (random.nextDouble() - 0.5)), 3600);
    print("noise", steps, 300);
    for (Step step : steps.subList(20, steps.size())) {
      assertThat(step.desired()).as("second %d", step.second()).isBetween(4.0, 5.5);
    }
    assertThat(reversals(steps, 20)).isZero();
  }

  @Test
  void idleDesiresNothing() {
    List<Step> steps = run(t -> 0, 60);
    assertThat(steps).allSatisfy(step -> assertThat(step.desired()).isZero());
  }
}
