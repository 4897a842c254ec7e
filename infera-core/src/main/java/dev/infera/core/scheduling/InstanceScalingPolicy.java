package dev.infera.core.scheduling;

import dev.infera.core.scheduling.ElasticInstances.QueueWaits;

/**
 * Decides, from a scheduler's cumulative queue figures, when a version gets one instance more or
 * one fewer (docs/scheduling.md, "Instance autoscaling").
 *
 * <p>Every {@link InstanceScaling#window} it compares the window's mean queue delay (time waited /
 * requests started) with the threshold: above it, and below {@code max}, one instance is added and
 * the next window starts after it. A window is low when nobody waited more than half the threshold
 * on average and the instances' busy time would have kept one instance fewer at most half busy;
 * after {@link InstanceScaling#idle} of low windows, above {@code min}, one instance is removed.
 * Adding needs a full window of high delay and removing a long run of low windows, so load that
 * rises and falls within a window changes nothing, and the two thresholds are far apart, so it does
 * not oscillate.
 *
 * <p>Pure: the caller passes the time; not thread-safe (one caller).
 */
public final class InstanceScalingPolicy {
  /** What to do after a look. */
  public enum Decision {
    NONE,
    ADD,
    REMOVE
  }

  private final InstanceScaling scaling;
  private QueueWaits windowStart;
  private long windowStartNanos;
  private long lowSinceNanos = -1;
  private double lastMeanDelayNanos;

  public InstanceScalingPolicy(InstanceScaling scaling, QueueWaits now, long nowNanos) {
    this.scaling = scaling;
    restart(now, nowNanos);
  }

  /** Starts a new window (after a change, whose effect the next window measures). */
  public void restart(QueueWaits now, long nowNanos) {
    windowStart = now;
    windowStartNanos = nowNanos;
  }

  /** The mean queue delay of the last finished window, in nanoseconds. */
  public double lastMeanDelayNanos() {
    return lastMeanDelayNanos;
  }

  /**
   * Looks at the figures now; decides only when a window has passed since the last decision.
   *
   * @param instances the instances taking work now
   * @param allowedToAdd whether one more instance fits the server's budget
   */
  public Decision look(QueueWaits now, long nowNanos, int instances, boolean allowedToAdd) {
    long elapsed = nowNanos - windowStartNanos;
    if (elapsed < scaling.window().toNanos()) {
      return Decision.NONE;
    }
    long started = now.started() - windowStart.started();
    long waited = now.waitedNanos() - windowStart.waitedNanos();
    long busy = now.busyNanos() - windowStart.busyNanos();
    double meanDelay = started == 0 ? 0 : (double) waited / started;
    lastMeanDelayNanos = meanDelay;
    windowStart = now;
    windowStartNanos = nowNanos;
    long threshold = scaling.queueDelay().toNanos();
    if (meanDelay > threshold) {
      lowSinceNanos = -1;
      return instances < scaling.max() && allowedToAdd ? Decision.ADD : Decision.NONE;
    }
    boolean low = meanDelay <= threshold / 2.0 && busy <= 0.5 * (instances - 1) * (double) elapsed;
    if (!low || instances <= scaling.min()) {
      lowSinceNanos = -1;
      return Decision.NONE;
    }
    if (lowSinceNanos < 0) {
      lowSinceNanos = nowNanos - elapsed;
    }
    if (nowNanos - lowSinceNanos >= scaling.idle().toNanos()) {
      lowSinceNanos = -1;
      return Decision.REMOVE;
    }
    return Decision.NONE;
  }
}
