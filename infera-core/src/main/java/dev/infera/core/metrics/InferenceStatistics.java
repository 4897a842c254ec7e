package dev.infera.core.metrics;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one model version's statistics since it was first loaded, in the shape of Triton's
 * statistics extension ({@code ModelStatistics}). Counts are cumulative; times are totals in
 * nanoseconds.
 *
 * @param model the model's name
 * @param version the version's number, as text
 * @param lastInferenceMillis when the last request finished, in milliseconds since the epoch; 0
 *     before the first
 * @param inferenceCount rows inferred successfully by executing the model (cache hits excluded)
 * @param executionCount model executions (batches), successful or not
 * @param success requests answered successfully, with their time from arrival to answer
 * @param fail requests that failed, with their time from arrival to failure
 * @param queue successful, executed requests, with their time in the queue
 * @param computeInput successful, executed requests, with the time preparing their inputs
 * @param computeInfer successful, executed requests, with the time their batch executed
 * @param computeOutput successful, executed requests, with the time extracting their outputs
 * @param cacheHit requests answered from the response cache, with the time the lookup took
 * @param cacheMiss cache lookups that found nothing, with the time the lookup took
 * @param batches per executed batch size, in increasing order of size
 */
public record InferenceStatistics(
    String model,
    String version,
    long lastInferenceMillis,
    long inferenceCount,
    long executionCount,
    TimedCount success,
    TimedCount fail,
    TimedCount queue,
    TimedCount computeInput,
    TimedCount computeInfer,
    TimedCount computeOutput,
    TimedCount cacheHit,
    TimedCount cacheMiss,
    List<BatchStatistics> batches) {

  public InferenceStatistics {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    batches = List.copyOf(batches);
  }

  /** A count of events and the total time they took, in nanoseconds. */
  public record TimedCount(long count, long nanos) {
    public static final TimedCount ZERO = new TimedCount(0, 0);
  }

  /**
   * The executions of one batch size.
   *
   * @param batchSize the rows in each of these batches
   */
  public record BatchStatistics(
      int batchSize, TimedCount computeInput, TimedCount computeInfer, TimedCount computeOutput) {}
}
