package dev.infera.bench.load;

import java.util.Arrays;

/**
 * An immutable, sorted set of latencies in nanoseconds with exact nearest-rank percentiles: the
 * p-th percentile is the smallest recorded value with at least p % of the values at or below it.
 */
public final class Latencies {
  private final long[] sortedNanos;

  private Latencies(long[] sortedNanos) {
    this.sortedNanos = sortedNanos;
  }

  /** Sorts a copy of the given values. */
  public static Latencies of(long[] nanos, int count) {
    long[] copy = Arrays.copyOf(nanos, count);
    Arrays.sort(copy);
    return new Latencies(copy);
  }

  public int count() {
    return sortedNanos.length;
  }

  /**
   * The nearest-rank percentile in nanoseconds; 0 when there are no values.
   *
   * @param percent in (0, 100]
   */
  public long percentileNanos(double percent) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException("percentile " + percent + " (expected in (0, 100])");
    }
    if (sortedNanos.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sortedNanos.length);
    return sortedNanos[Math.max(rank, 1) - 1];
  }

  /** The mean in nanoseconds; 0 when there are no values. */
  public double meanNanos() {
    if (sortedNanos.length == 0) {
      return 0;
    }
    double sum = 0;
    for (long value : sortedNanos) {
      sum += value;
    }
    return sum / sortedNanos.length;
  }

  public long maxNanos() {
    return sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1];
  }
}
