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
 */
public record ExecutionResult(
    List<Tensor> outputs, Duration queueTime, Duration computeTime, int batchRows) {
  public ExecutionResult {
    outputs = List.copyOf(outputs);
  }
}
