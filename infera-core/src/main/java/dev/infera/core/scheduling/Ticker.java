package dev.infera.core.scheduling;

/**
 * A source of monotonic time in nanoseconds, injected so that tests advance time instead of
 * sleeping. Only differences between readings mean anything, as with {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface Ticker {

  /** The current reading, in nanoseconds. */
  long read();

  /** The JVM's monotonic clock. */
  static Ticker system() {
    return System::nanoTime;
  }
}
