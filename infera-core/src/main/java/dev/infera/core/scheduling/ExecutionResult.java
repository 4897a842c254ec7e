package dev.infera.core.scheduling;

import dev.infera.spi.Tensor;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The outputs of one request, split out of the batch it ran in, and where its time went.
 *
 * @param outputs the request's own rows of each output, in the order asked for
 * @param queueTime from enqueue until its batch started executing
 * @param computeTime the execution of the batch it ran in
 * @param batchRows the rows of the whole batch it ran in
 * @param fromCache whether the response cache answered it (then it neither queued nor executed)
 * @param parameters what the response must report about how it was made (a pipeline's fallbacks,
 *     soft failures, cascades); values are {@code Boolean}, {@code Long}, {@code Double} or {@code
 *     String}; empty for a model's own execution
 */
public record ExecutionResult(
    List<Tensor> outputs,
    Duration queueTime,
    Duration computeTime,
    int batchRows,
    boolean fromCache,
    Map<String, Object> parameters) {
  public ExecutionResult {
    outputs = List.copyOf(outputs);
    parameters = Map.copyOf(parameters);
  }

  /** The result of an execution of the model, or of the response cache. */
  public ExecutionResult(
      List<Tensor> outputs,
      Duration queueTime,
      Duration computeTime,
      int batchRows,
      boolean fromCache) {
    this(outputs, queueTime, computeTime, batchRows, fromCache, Map.of());
  }

  /** The result of an execution of the model. */
  public ExecutionResult(
      List<Tensor> outputs, Duration queueTime, Duration computeTime, int batchRows) {
    this(outputs, queueTime, computeTime, batchRows, false);
  }
}
