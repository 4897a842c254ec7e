package dev.infera.bench.load;

import java.util.Arrays;

/**
 * Collects latencies from many threads into one growing primitive array. Recording takes a short
 * lock: at the rates one machine can drive, contention is far below the cost of a request.
 */
public final class LatencyRecorder {
  private long[] nanos = new long[1 << 16];
  private int count;

  public synchronized void record(long latencyNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, nanos.length * 2);
    }
    nanos[count++] = latencyNanos;
  }

  /** What was recorded so far, sorted. */
  public synchronized Latencies snapshot() {
    return Latencies.of(nanos, count);
  }
}
