package dev.infera.spi;

import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The metrics a backend may record beside those Infera records for every model: counters, timers
 * and gauges registered with the server's registry. Names are dotted and in base units, as
 * Micrometer's ({@code infera.python.worker.restarts} becomes {@code
 * infera_python_worker_restarts_total} in Prometheus); tags are label names and values.
 *
 * <p>Threading: every method and every meter it returns may be used from any thread.
 */
public interface BackendMeters {

  /** A counter; asking twice for the same name and tags gives the same counter. */
  Counter counter(String name, String description, Map<String, String> tags);

  /** A timer of durations; asking twice for the same name and tags gives the same timer. */
  Timer timer(String name, String description, Map<String, String> tags);

  /**
   * A gauge that reads {@code value} at each scrape until the returned handle is closed. A value of
   * {@code NaN} is exported as missing.
   */
  AutoCloseable gauge(
      String name, String description, Map<String, String> tags, DoubleSupplier value);

  /** Counts events. */
  interface Counter {
    void increment();
  }

  /** Records durations. */
  interface Timer {
    void recordNanos(long nanos);
  }

  /** Meters that record nothing: for backends used outside a server, and tests. */
  static BackendMeters none() {
    return new BackendMeters() {
      @Override
      public Counter counter(String name, String description, Map<String, String> tags) {
        return () -> {};
      }

      @Override
      public Timer timer(String name, String description, Map<String, String> tags) {
        return nanos -> {};
      }

      @Override
      public AutoCloseable gauge(
          String name, String description, Map<String, String> tags, DoubleSupplier value) {
        return () -> {};
      }
    };
  }
}
