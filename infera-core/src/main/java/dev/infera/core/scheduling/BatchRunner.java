package dev.infera.core.scheduling;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.Tensor;
import java.time.Duration;
import java.util.List;

/**
 * Executes one formed batch on one instance and hands each request its outcome: its own rows of the
 * outputs, or the batch's error. Stateless apart from what it is built with; runs on the calling
 * thread.
 */
final class BatchRunner {

  /** Receives the outcome of each request of a batch, in batch order. */
  interface Outcomes {
    void succeeded(QueuedRequest request, ExecutionResult result);

    void failed(QueuedRequest request, Throwable error);
  }

  private final String label;
  private final Ticker ticker;
  private final SchedulerListener listener;
  private final Outcomes outcomes;

  BatchRunner(String label, Ticker ticker, SchedulerListener listener, Outcomes outcomes) {
    this.label = label;
    this.ticker = ticker;
    this.listener = listener;
    this.outcomes = outcomes;
  }

  void run(List<QueuedRequest> batch, int rows, ModelInstance instance) {
    long start = ticker.read();
    List<List<Tensor>> outputs;
    try {
      outputs = execute(batch, rows, instance);
    } catch (Throwable error) { // any failure fails the batch, never the scheduler's thread
      listener.onBatchFailed(batch.size(), rows, ticker.read() - start);
      InferenceException failure = asInferenceException(error);
      for (QueuedRequest request : batch) {
        outcomes.failed(request, failure);
      }
      return;
    }
    long computeNanos = ticker.read() - start;
    listener.onBatchExecuted(batch.size(), rows, computeNanos);
    Duration compute = Duration.ofNanos(computeNanos);
    for (int i = 0; i < batch.size(); i++) {
      QueuedRequest request = batch.get(i);
      Duration queued = Duration.ofNanos(start - request.enqueueNanos);
      outcomes.succeeded(request, new ExecutionResult(outputs.get(i), queued, compute, rows));
    }
  }

  private List<List<Tensor>> execute(List<QueuedRequest> batch, int rows, ModelInstance instance) {
    QueuedRequest first = batch.get(0);
    List<String> outputNames = first.request.outputNames();
    if (batch.size() == 1) {
      List<Tensor> outputs = instance.execute(first.request.inputs(), outputNames);
      checkCount(outputs, outputNames);
      return List.of(outputs);
    }
    List<Tensor> outputs = instance.execute(BatchTensors.join(batch), outputNames);
    checkCount(outputs, outputNames);
    return BatchTensors.split(outputs, outputNames, batch, rows, label);
  }

  private void checkCount(List<Tensor> outputs, List<String> outputNames) {
    if (outputs == null || outputs.size() != outputNames.size()) {
      throw new InferenceException(
          ErrorCode.INTERNAL,
          label
              + ": instance returned "
              + (outputs == null ? "no" : String.valueOf(outputs.size()))
              + " outputs (expected "
              + outputNames.size()
              + ": "
              + String.join(", ", outputNames)
              + ")");
    }
  }

  private InferenceException asInferenceException(Throwable error) {
    if (error instanceof InferenceException inference) {
      return inference;
    }
    return new InferenceException(
        ErrorCode.INTERNAL, label + ": execution failed: " + error.getMessage(), error);
  }
}
