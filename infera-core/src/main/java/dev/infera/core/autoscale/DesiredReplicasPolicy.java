package dev.infera.core.autoscale;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many replicas of this server one model's load needs, from successive {@link LoadSample}s.
 *
 * <p>The reasoning, per sample interval: the instances were busy {@code busy} seconds per second
 * (arrival rate times service time per request, measured rather than assumed). A batch takes {@code
 * s} seconds. Treating each instance as an M/M/1 queue, the p99 time in the system is about {@code
 * s · ln(100) / (1 − ρ)} at utilisation ρ, so the target {@code T} allows ρ up to {@code 1 − s ·
 * ln(100) / T} (kept within 0.05 to 0.9: a target below the service time itself cannot be met by
 * adding replicas, only kept from getting worse). The load needs {@code busy / (instances · ρmax)}
 * replicas like this one. A server handling its share of the fleet's load reports its share; the
 * fleet's sum is what the autoscaler needs.
 *
 * <p>Smoothing without lag or oscillation: the raw estimate follows rises with a short time
 * constant and falls with a long one, and the published value is the highest smoothed estimate of
 * the last scale-down delay, so noise cannot move it down and up again, a burst raises it within a
 * few seconds, and it falls only after load has stayed lower for the whole delay.
 *
 * <p>Threading: confined to its owner's thread. Pure: time comes from the samples.
 */
public final class DesiredReplicasPolicy {
  private static final double LN_100 = Math.log(100);
  static final double MIN_UTILISATION = 0.05;
  static final double MAX_UTILISATION = 0.9;

  private record Point(long atNanos, double value) {}

  private final AutoscaleSettings settings;
  private final Deque<Point> held = new ArrayDeque<>();
  private LoadSample previous;
  private double smoothed;
  private double published;

  public DesiredReplicasPolicy(AutoscaleSettings settings) {
    this.settings = settings;
  }

  /** Takes a sample and returns the desired replicas (0 before the second sample). */
  public double update(LoadSample sample) {
    if (previous == null || sample.atNanos() <= previous.atNanos()) {
      previous = sample;
      return published;
    }
    double seconds = (sample.atNanos() - previous.atNanos()) / 1e9;
    double raw = raw(previous, sample, settings.targetP99());
    previous = sample;
    Duration tau = raw > smoothed ? settings.riseTime() : settings.fallTime();
    double alpha = tau.isZero() ? 1 : 1 - Math.exp(-seconds / (tau.toNanos() / 1e9));
    smoothed += alpha * (raw - smoothed);
    hold(sample.atNanos(), smoothed);
    return published;
  }

  /** The last published value. */
  public double desired() {
    return published;
  }

  /** The unsmoothed estimate between two samples. */
  static double raw(LoadSample from, LoadSample to, Duration target) {
    double seconds = (to.atNanos() - from.atNanos()) / 1e9;
    double busy = Math.max(0, to.busySeconds() - from.busySeconds());
    double executions = Math.max(0, to.executions() - from.executions());
    if (busy == 0 || executions == 0) {
      return 0;
    }
    double batchSeconds = busy / executions;
    double utilisation =
        Math.max(
            MIN_UTILISATION,
            Math.min(MAX_UTILISATION, 1 - batchSeconds * LN_100 / (target.toNanos() / 1e9)));
    return busy / seconds / (Math.max(1, to.instances()) * utilisation);
  }

  private void hold(long now, double value) {
    long window = settings.scaleDownDelay().toNanos();
    while (!held.isEmpty() && held.peekLast().value() <= value) {
      held.pollLast();
    }
    held.addLast(new Point(now, value));
    while (now - held.peekFirst().atNanos() > window) {
      held.pollFirst();
    }
    published = held.peekFirst().value();
  }
}
