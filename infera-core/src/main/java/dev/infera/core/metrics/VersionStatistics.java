package dev.infera.core.metrics;

import dev.infera.core.metrics.InferenceStatistics.BatchStatistics;
import dev.infera.core.metrics.InferenceStatistics.TimedCount;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Triton's per-version statistics, accumulated from the same measurements that feed the version's
 * Prometheus meters ({@link VersionMetrics} forwards each one here). Cheap on the hot path: every
 * counter is a {@link LongAdder}; a snapshot reads them without stopping writers, so a snapshot
 * taken during traffic may mix counts of requests in flight.
 *
 * <p>Backends time an execution as one step: its whole time is {@code compute_infer}; {@code
 * compute_input} and {@code compute_output} count the same requests with no time of their own.
 *
 * <p>Thread-safe.
 */
public final class VersionStatistics {
  private final String model;
  private final String version;
  private final LongSupplier epochMillis;
  private final AtomicLong lastInference = new AtomicLong();
  private final LongAdder inferences = new LongAdder();
  private final LongAdder executions = new LongAdder();
  private final Timed success = new Timed();
  private final Timed fail = new Timed();
  private final Timed queue = new Timed();
  private final Timed computeInfer = new Timed();
  private final Timed cacheHit = new Timed();
  private final Timed cacheMiss = new Timed();
  private final Map<Integer, Timed> batches = new ConcurrentHashMap<>();

  /** A count and a total time, each a {@link LongAdder}. */
  private static final class Timed {
    final LongAdder count = new LongAdder();
    final LongAdder nanos = new LongAdder();

    void add(long elapsedNanos) {
      count.increment();
      nanos.add(elapsedNanos);
    }

    TimedCount read() {
      return new TimedCount(count.sum(), nanos.sum());
    }
  }

  /**
   * @param epochMillis the wall clock for {@code last_inference}, in milliseconds since the epoch
   */
  public VersionStatistics(String model, String version, LongSupplier epochMillis) {
    this.model = model;
    this.version = version;
    this.epochMillis = epochMillis;
  }

  /**
   * A request answered successfully.
   *
   * @param fromCache whether the response cache answered it (then it neither queued nor executed)
   */
  void recordSuccess(
      long rows, long totalNanos, long queueNanos, long computeNanos, boolean fromCache) {
    success.add(totalNanos);
    if (!fromCache) {
      inferences.add(rows);
      queue.add(queueNanos);
      computeInfer.add(computeNanos);
    }
    lastInference.set(epochMillis.getAsLong());
  }

  void recordFailure(long totalNanos) {
    fail.add(totalNanos);
    lastInference.set(epochMillis.getAsLong());
  }

  void recordExecution(int rows, long computeNanos) {
    executions.increment();
    batches.computeIfAbsent(rows, size -> new Timed()).add(computeNanos);
  }

  /** A response cache lookup that found the response, and how long it took. */
  public void recordCacheHit(long lookupNanos) {
    cacheHit.add(lookupNanos);
  }

  /** A response cache lookup that found nothing, and how long it took. */
  public void recordCacheMiss(long lookupNanos) {
    cacheMiss.add(lookupNanos);
  }

  /** The statistics so far. */
  public InferenceStatistics snapshot() {
    TimedCount infer = computeInfer.read();
    TimedCount untimed = new TimedCount(infer.count(), 0);
    Map<Integer, Timed> sorted = new ConcurrentSkipListMap<>(batches);
    List<BatchStatistics> perSize =
        sorted.entrySet().stream()
            .map(
                entry -> {
                  TimedCount executed = entry.getValue().read();
                  TimedCount none = new TimedCount(executed.count(), 0);
                  return new BatchStatistics(entry.getKey(), none, executed, none);
                })
            .toList();
    return new InferenceStatistics(
        model,
        version,
        lastInference.get(),
        inferences.sum(),
        executions.sum(),
        success.read(),
        fail.read(),
        queue.read(),
        untimed,
        infer,
        untimed,
        cacheHit.read(),
        cacheMiss.read(),
        perSize);
  }
}
