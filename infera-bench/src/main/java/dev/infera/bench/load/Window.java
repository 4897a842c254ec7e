package dev.infera.bench.load;

import java.util.concurrent.atomic.LongAdder;

/**
 * The measurement window of one step: completions between {@code startNanos} and {@code endNanos}
 * (on {@link System#nanoTime}) count; those before (the warm-up) and after do not.
 */
final class Window {
  private final long startNanos;
  private final long endNanos;
  private final LatencyRecorder latencies = new LatencyRecorder();
  private final ErrorCounts errors = new ErrorCounts();
  private final LongAdder successes = new LongAdder();

  Window(long startNanos, long endNanos) {
    this.startNanos = startNanos;
    this.endNanos = endNanos;
  }

  long startNanos() {
    return startNanos;
  }

  long endNanos() {
    return endNanos;
  }

  /** Records one completion if it falls inside the window. */
  void complete(long sentNanos, long doneNanos, String error) {
    if (doneNanos < startNanos || doneNanos > endNanos) {
      return;
    }
    if (error == null) {
      successes.increment();
      latencies.record(doneNanos - sentNanos);
    } else {
      errors.add(error);
    }
  }

  /** Records a failure that happened inside the window without a request being sent. */
  void fail(long nowNanos, String error) {
    if (nowNanos >= startNanos && nowNanos <= endNanos) {
      errors.add(error);
    }
  }

  long successes() {
    return successes.sum();
  }

  LatencyRecorder latencies() {
    return latencies;
  }

  ErrorCounts errors() {
    return errors;
  }
}
