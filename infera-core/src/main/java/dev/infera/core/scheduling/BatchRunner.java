package dev.infera.core.scheduling;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.Tensor;
import java.time.Duration;
import java.util.List;

/**
 * Executes one formed batch on one instance and hands each request its outcome: its own rows of the
 * outputs, or its error. A batch that fails is split in halves and each half run again (down to
 * single requests), so a request whose data the backend cannot take fails alone. Stateless apart
 * from what it is built with; runs on the calling thread.
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
    List<Tensor> executed;
    try {
      executed = execute(batch, instance);
    } catch (Throwable error) { // any failure fails the batch, never the scheduler's thread
      listener.onBatchFailed(batch.size(), rows, ticker.read() - start);
      InferenceException failure = asInferenceException(error);
      if (batch.size() > 1 && mayBeOneRequestsFault(failure)) {
        // Bisect: the halves run on their own, so a request the backend cannot take fails
        // alone, after at most 2 * log2(n) more executions, and its batch-mates succeed.
        int half = batch.size() / 2;
        List<QueuedRequest> first = batch.subList(0, half);
        List<QueuedRequest> second = batch.subList(half, batch.size());
        run(first, rows(first), instance);
        run(second, rows(second), instance);
        return;
      }
      failAll(batch, failure);
      return;
    }
    List<List<Tensor>> outputs;
    try {
      outputs = split(executed, batch, rows);
    } catch (Throwable error) { // the model's outputs do not fit the batch: its fault, not a row's
      listener.onBatchFailed(batch.size(), rows, ticker.read() - start);
      failAll(batch, asInferenceException(error));
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

  private void failAll(List<QueuedRequest> batch, InferenceException failure) {
    for (QueuedRequest request : batch) {
      outcomes.failed(request, failure);
    }
  }

  /**
   * Whether a failed execution is worth splitting: the backend refused an input, ran out of a
   * resource a smaller batch may fit, or failed in a way one request's data may have caused. A
   * closed instance, a cancellation or a deadline fails every request alike.
   */
  private static boolean mayBeOneRequestsFault(InferenceException failure) {
    return switch (failure.code()) {
      case INVALID_ARGUMENT, RESOURCE_EXHAUSTED, INTERNAL -> true;
      default -> false;
    };
  }

  private static int rows(List<QueuedRequest> requests) {
    int rows = 0;
    for (QueuedRequest request : requests) {
      rows += request.rows();
    }
    return rows;
  }

  private static List<Tensor> execute(List<QueuedRequest> batch, ModelInstance instance) {
    QueuedRequest first = batch.get(0);
    List<Tensor> inputs = batch.size() == 1 ? first.request.inputs() : BatchTensors.join(batch);
    return instance.execute(inputs, first.request.outputNames());
  }

  private List<List<Tensor>> split(List<Tensor> outputs, List<QueuedRequest> batch, int rows) {
    List<String> outputNames = batch.get(0).request.outputNames();
    checkCount(outputs, outputNames);
    if (batch.size() == 1) {
      return List.of(outputs);
    }
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
