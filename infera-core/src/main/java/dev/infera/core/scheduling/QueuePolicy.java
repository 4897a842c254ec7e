package dev.infera.core.scheduling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How one priority level's queue treats its requests; Triton's {@code ModelQueuePolicy}.
 *
 * @param maxQueueSize the most requests the level holds ({@code max_queue_size}); 0 means no limit
 *     of its own (the scheduler's overall capacity still applies)
 * @param timeoutAction what happens to a request whose queue timeout passes ({@code
 *     timeout_action})
 * @param defaultTimeout the queue timeout of every request ({@code default_timeout_microseconds});
 *     zero means none
 * @param allowTimeoutOverride whether a request may ask for a shorter timeout than the default
 *     ({@code allow_timeout_override}); a request's timeout never extends the default
 */
public record QueuePolicy(
    int maxQueueSize,
    TimeoutAction timeoutAction,
    Duration defaultTimeout,
    boolean allowTimeoutOverride) {

  /** Triton's defaults: no size limit, REJECT, no timeout, no override. */
  public static final QueuePolicy DEFAULT =
      new QueuePolicy(0, TimeoutAction.REJECT, Duration.ZERO, false);

  /** What happens to a request whose queue timeout passes; Triton's {@code TimeoutAction}. */
  public enum TimeoutAction {
    /** The request fails with DEADLINE_EXCEEDED and leaves the queue. */
    REJECT,
    /**
     * The request stays queued but moves behind every request of its own and higher priority levels
     * that has not timed out; it may wait indefinitely while new requests keep arriving.
     */
    DELAY
  }

  public QueuePolicy {
    List<String> problems = new ArrayList<>();
    if (maxQueueSize < 0) {
      problems.add("max_queue_size " + maxQueueSize + " (expected >= 0)");
    }
    if (timeoutAction == null) {
      problems.add("timeout_action missing (expected REJECT or DELAY)");
    }
    if (defaultTimeout == null || defaultTimeout.isNegative()) {
      problems.add("default_timeout " + defaultTimeout + " (expected a duration >= 0)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("queue policy: " + String.join("; ", problems));
    }
  }

  /**
   * The queue timeout of a request, in nanoseconds, 0 for none: the request's own timeout where
   * overriding is allowed or the level has no default, never longer than the default.
   */
  long timeoutNanos(Duration requested) {
    long byDefault = saturatedNanos(defaultTimeout);
    if (requested == null || requested.isZero() || requested.isNegative()) {
      return byDefault;
    }
    if (!allowTimeoutOverride && byDefault != 0) {
      return byDefault;
    }
    long asked = saturatedNanos(requested);
    return byDefault == 0 ? asked : Math.min(byDefault, asked);
  }

  /** Nanoseconds, capped well below overflow so that adding a ticker reading stays safe. */
  static long saturatedNanos(Duration duration) {
    long cap = Long.MAX_VALUE / 4;
    if (duration.compareTo(Duration.ofNanos(cap)) >= 0) {
      return cap;
    }
    return duration.toNanos();
  }
}
