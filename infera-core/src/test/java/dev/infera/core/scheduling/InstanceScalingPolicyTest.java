package dev.infera.core.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.scheduling.ElasticInstances.QueueWaits;
import dev.infera.core.scheduling.InstanceScalingPolicy.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scaling decisions on simulated load with a fake clock: a queue of requests served by n
 * instances, each request taking a fixed service time, arrivals at a given rate per second.
 */
class InstanceScalingPolicyTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long TICK = SECOND / 4;
  private static final InstanceScaling SCALING =
      new InstanceScaling(
          1, 4, Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(30));

  /**
   * A fluid model of the queue: per tick, arrivals join the backlog, n instances serve up to
   * n·tick/service of it; each started request waited backlog/throughput.
   */
  private static final class Simulation {
    final double serviceSeconds;
    int instances = 1;
    double backlog;
    long started;
    long waitedNanos;
    long busyNanos;
    long now;
    final List<Integer> history = new ArrayList<>();

    Simulation(double serviceSeconds) {
      this.serviceSeconds = serviceSeconds;
    }

    QueueWaits waits() {
      return new QueueWaits(started, waitedNanos, busyNanos);
    }

    void run(InstanceScalingPolicy policy, double perSecond, long seconds) {
      for (long t = 0; t < seconds * SECOND; t += TICK) {
        now += TICK;
        backlog += perSecond * TICK / (double) SECOND;
        double capacity = instances * (TICK / (double) SECOND) / serviceSeconds;
        double served = Math.min(backlog, capacity);
        double throughputPerSecond = instances / serviceSeconds;
        double wait = Math.max(0, backlog - served) / throughputPerSecond;
        backlog -= served;
        started += Math.round(served);
        waitedNanos += Math.round(served * wait * SECOND);
        busyNanos += Math.round(served * serviceSeconds * SECOND);
        Decision decision = policy.look(waits(), now, instances, instances < 4);
        if (decision == Decision.ADD) {
          instances++;
        } else if (decision == Decision.REMOVE) {
          instances--;
        }
        history.add(instances);
      }
    }
  }

  @Test
  void aBurstAddsInstancesUntilTheQueueDrainsAndIdleRemovesThemAgain() {
    Simulation sim = new Simulation(0.040); // 25 requests/s per instance
    InstanceScalingPolicy policy = new InstanceScalingPolicy(SCALING, sim.waits(), 0);

    sim.run(policy, 10, 10); // well within one instance
    assertThat(sim.instances).isEqualTo(1);

    sim.run(policy, 60, 20); // a burst needing 3 instances (one more while its backlog drains)
    int peak = sim.instances;
    assertThat(peak).isBetween(3, 4);
    assertThat(policy.lastMeanDelayNanos()).isLessThan(SCALING.queueDelay().toNanos());

    sim.history.clear();
    sim.run(policy, 5, 29); // quiet, but not yet for the idle period
    assertThat(sim.instances).isEqualTo(peak);
    sim.run(policy, 5, 30 * (peak - 1) + 10); // quiet long enough: back to one, one at a time
    assertThat(sim.instances).isEqualTo(1);
    assertThat(sim.history).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
  }

  @Test
  void loadAtTheEdgeOfTwoInstancesDoesNotOscillate() {
    Simulation sim = new Simulation(0.040);
    InstanceScalingPolicy policy = new InstanceScalingPolicy(SCALING, sim.waits(), 0);

    sim.run(policy, 30, 20); // above one instance's 25/s
    int reached = sim.instances;
    sim.history.clear();
    sim.run(policy, 30, 300);

    assertThat(reached).isEqualTo(2);
    assertThat(sim.history).containsOnly(2);
  }

  @Test
  void neverAboveMaxNorBeyondTheBudget() {
    Simulation sim = new Simulation(0.040);
    InstanceScalingPolicy policy = new InstanceScalingPolicy(SCALING, sim.waits(), 0);

    sim.run(policy, 1_000, 60);
    assertThat(sim.instances).isEqualTo(4);

    InstanceScalingPolicy noBudget = new InstanceScalingPolicy(SCALING, sim.waits(), sim.now);
    QueueWaits busy = new QueueWaits(sim.started + 100, sim.waitedNanos + 100 * SECOND, 0);
    assertThat(noBudget.look(busy, sim.now + 3 * SECOND, 1, false)).isEqualTo(Decision.NONE);
  }

  @Test
  void parametersAreReadAndCheckedNamingTheParameter() {
    assertThat(InstanceScaling.of(Map.of(), 1)).isEmpty();
    InstanceScaling read =
        InstanceScaling.of(
                Map.of(
                    InstanceScaling.MAX, "4",
                    InstanceScaling.QUEUE_DELAY_MS, "50",
                    InstanceScaling.WINDOW_MS, "500",
                    InstanceScaling.IDLE_SECS, "5"),
                2)
            .orElseThrow();
    assertThat(read)
        .isEqualTo(
            new InstanceScaling(
                2, 4, Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(5)));

    assertThatThrownBy(() -> InstanceScaling.of(Map.of(InstanceScaling.MAX, "many"), 1))
        .hasMessageContaining("instance_autoscale_max 'many' (expected a whole number)");
    assertThatThrownBy(() -> InstanceScaling.of(Map.of(InstanceScaling.MAX, "1"), 2))
        .hasMessageContaining(
            "instance_autoscale_max 1 (expected from the instance groups' count 2");
    assertThatThrownBy(() -> InstanceScaling.of(Map.of(InstanceScaling.QUEUE_DELAY_MS, "5"), 1))
        .hasMessageContaining(
            "instance_autoscale_queue_delay_ms is set but instance_autoscale_max");
    assertThatThrownBy(
            () ->
                InstanceScaling.of(
                    Map.of(InstanceScaling.MAX, "3", InstanceScaling.WINDOW_MS, "0"), 1))
        .hasMessageContaining("instance_autoscale_window_ms 0 (expected > 0)");
  }
}
