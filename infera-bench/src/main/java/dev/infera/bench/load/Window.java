package dev.infera.bench.load;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The measurement window of one step, between {@code startNanos} and {@code endNanos} (on {@link
 * System#nanoTime}). Closed loop ({@link #complete}): a success counts when it completes inside the
 * window; a failure when its request was sent inside it, whenever it ends, so that a request that
 * times out after the window still counts. Open loop ({@link #completeScheduled}): every request
 * scheduled inside the window counts, success or failure, whenever it ends. A request of the window
 * still unanswered when the step's drain ends counts as a failure ({@link #unanswered}).
 */
final class Window {
  private final long startNanos;
  private final long endNanos;
  private final LatencyRecorder latencies = new LatencyRecorder();
  private final ErrorCounts errors = new ErrorCounts();
  private final LongAdder successes = new LongAdder();
  private final AtomicInteger outstanding = new AtomicInteger();
  private volatile boolean closed;

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

  private boolean inside(long nanos) {
    return nanos >= startNanos && nanos <= endNanos;
  }

  /**
   * Notes a request sent (or scheduled) at {@code nanos}; returns whether it belongs to the window,
   * to be passed to its completion.
   */
  boolean sent(long nanos) {
    boolean mine = inside(nanos);
    if (mine) {
      outstanding.incrementAndGet();
    }
    return mine;
  }

  /** A closed-loop completion: see the class comment. */
  void complete(long sentNanos, boolean sentInside, long doneNanos, String error) {
    if (closed) {
      return;
    }
    if (sentInside) {
      outstanding.decrementAndGet();
    }
    if (error == null) {
      if (inside(doneNanos)) {
        successes.increment();
        latencies.record(doneNanos - sentNanos);
      }
    } else if (sentInside) {
      errors.add(error);
    }
  }

  /** An open-loop completion, its latency from the scheduled time: see the class comment. */
  void completeScheduled(
      long intendedNanos, boolean scheduledInside, long doneNanos, String error) {
    if (closed || !scheduledInside) {
      return;
    }
    outstanding.decrementAndGet();
    if (error == null) {
      successes.increment();
      latencies.record(doneNanos - intendedNanos);
    } else {
      errors.add(error);
    }
  }

  /**
   * Once the step's drain has ended: the window's requests still without an answer count as
   * failures (their answers, should they come later, are not counted again).
   */
  void unanswered(Duration drain) {
    closed = true;
    int left = outstanding.get();
    for (int i = 0; i < left; i++) {
      errors.add("no answer after the window within " + drain.toMillis() + " ms");
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
