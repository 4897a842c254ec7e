package dev.infera.core;

import java.time.Duration;

/**
 * The moment a caller stops waiting for its answer, such as a gRPC call's deadline, as a reading of
 * the engine's nanosecond clock ({@link System#nanoTime()} in a running server, which every edge
 * and the engine share). Absolute rather than relative, so that every hop of one request (routing
 * retries, pipeline steps) spends the same budget.
 *
 * @param nanoTime when the deadline passes, on the engine clock's scale
 */
public record Deadline(long nanoTime) {

  /** The deadline {@code remaining} after {@code now}; saturates instead of overflowing. */
  public static Deadline after(Duration remaining, long now) {
    long nanos = saturatedNanos(remaining);
    long at = now + nanos;
    if (nanos > 0 && at < now) {
      at = Long.MAX_VALUE;
    }
    return new Deadline(at);
  }

  /** The time left at {@code now}; zero or negative once the deadline passed. */
  public Duration remaining(long now) {
    return Duration.ofNanos(nanoTime - now);
  }

  /** Whether the deadline passed at {@code now}. */
  public boolean hasPassed(long now) {
    return nanoTime - now <= 0;
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
