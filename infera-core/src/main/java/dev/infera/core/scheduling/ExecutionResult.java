package dev.infera.core.scheduling;

import dev.infera.spi.Tensor;
import java.time.Duration;
import java.util.List;

/**
 * The outputs of one request, split out of the batch it ran in, and where its time went.
 *
 * @param outputs the request's own rows of each output, in the order asked for
 * @param queueTime from enqueue until its batch started executing
 * @param computeTime the execution of the batch it ran in
 * @param batchRows the rows of the whole batch it ran in
 * @param fromCache whether the response cache answered it (then it neither queued nor executed)
 */
public record ExecutionResult(
    List<Tensor> outputs,
    Duration queueTime,
    Duration computeTime,
    int batchRows,
    boolean fromCache) {
  public ExecutionResult {
    outputs = List.copyOf(outputs);
  }

  /** The result of an execution of the model. */
  public ExecutionResult(
      List<Tensor> outputs, Duration queueTime, Duration computeTime, int batchRows) {
    this(outputs, queueTime, computeTime, batchRows, false);
  }
}
