package dev.infera.core.scheduling;

import dev.infera.core.tracing.TracedRequest;
import dev.infera.core.tracing.VersionTracer;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.RequestBatchInstance;
import dev.infera.spi.RequestBatchInstance.RequestOutcome;
import dev.infera.spi.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Executes one formed batch on one instance and hands each request its outcome: its own rows of the
 * outputs, or its error. A batch that fails is split in halves and each half run again (down to
 * single requests), so a request whose data the backend cannot take fails alone. An instance that
 * takes the requests of a batch separately ({@link RequestBatchInstance}) gets them so and may fail
 * each on its own. Stateless apart from what it is built with; runs on the calling thread.
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
  private final VersionTracer tracer;

  BatchRunner(
      String label,
      Ticker ticker,
      SchedulerListener listener,
      Outcomes outcomes,
      VersionTracer tracer) {
    this.label = label;
    this.ticker = ticker;
    this.listener = listener;
    this.outcomes = outcomes;
    this.tracer = tracer;
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  void run(List<QueuedRequest> batch, int rows, ModelInstance instance) {
    SchedulerListener meters = warmupOnly(batch) ? SchedulerListener.NONE : listener;
    long cpuStart = cpuTime();
    try {
      execute(batch, rows, instance, meters);
    } finally {
      if (cpuStart >= 0) {
        meters.onExecutionCpu(cpuTime() - cpuStart);
      }
    }
  }

  /** A batch of the server's warm-up requests only is not counted in the execution metrics. */
  private static boolean warmupOnly(List<QueuedRequest> batch) {
    for (QueuedRequest request : batch) {
      if (!request.request.warmup()) {
        return false;
      }
    }
    return true;
  }

  /** The current thread's CPU time in nanoseconds; -1 where the JVM does not measure it. */
  private static long cpuTime() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
  }

  private void execute(
      List<QueuedRequest> batch, int rows, ModelInstance instance, SchedulerListener meters) {
    long start = ticker.read();
    List<Tensor> executed = null;
    List<RequestOutcome> separate = null;
    try {
      if (instance instanceof RequestBatchInstance requestwise) {
        separate = executeRequests(batch, requestwise);
      } else {
        executed = execute(batch, instance);
      }
    } catch (Throwable error) { // any failure fails the batch, never the scheduler's thread
      long failedAfter = ticker.read() - start;
      meters.onBatchFailed(batch.size(), rows, failedAfter);
      InferenceException failure = asInferenceException(error);
      trace(batch, rows, start, failedAfter, failure);
      if (batch.size() > 1 && mayBeOneRequestsFault(failure)) {
        // Bisect: the halves run on their own, so a request the backend cannot take fails
        // alone, after at most 2 * log2(n) more executions, and its batch-mates succeed.
        int half = batch.size() / 2;
        List<QueuedRequest> first = batch.subList(0, half);
        List<QueuedRequest> second = batch.subList(half, batch.size());
        execute(first, rows(first), instance, meters);
        execute(second, rows(second), instance, meters);
        return;
      }
      failAll(batch, failure);
      return;
    }
    List<RequestOutcome> outputs;
    try {
      outputs =
          separate != null
              ? ordered(separate, batch)
              : split(executed, batch, rows).stream().map(RequestOutcome::succeeded).toList();
    } catch (Throwable error) { // the model's outputs do not fit the batch: its fault, not a row's
      long failedAfter = ticker.read() - start;
      meters.onBatchFailed(batch.size(), rows, failedAfter);
      InferenceException failure = asInferenceException(error);
      trace(batch, rows, start, failedAfter, failure);
      failAll(batch, failure);
      return;
    }
    long computeNanos = ticker.read() - start;
    meters.onBatchExecuted(batch.size(), rows, computeNanos);
    trace(batch, rows, start, computeNanos, null);
    Duration compute = Duration.ofNanos(computeNanos);
    for (int i = 0; i < batch.size(); i++) {
      QueuedRequest request = batch.get(i);
      RequestOutcome outcome = outputs.get(i);
      if (outcome.isError()) {
        outcomes.failed(request, outcome.error());
        continue;
      }
      Duration queued = Duration.ofNanos(start - request.enqueueNanos);
      outcomes.succeeded(request, new ExecutionResult(outcome.outputs(), queued, compute, rows));
    }
  }

  /**
   * Builds the spans of an execution that ended, when any of its requests is traced; nothing (not
   * even a list) for a batch of untraced requests.
   */
  private void trace(
      List<QueuedRequest> batch,
      int rows,
      long start,
      long computeNanos,
      InferenceException error) {
    if (!tracer.isOn()) {
      return;
    }
    List<TracedRequest> traced = null;
    for (QueuedRequest request : batch) {
      if (request.request.span().isPresent()) {
        if (traced == null) {
          traced = new ArrayList<>(batch.size());
        }
        traced.add(
            new TracedRequest(
                request.request.span().get(),
                Math.max(0, start - request.enqueueNanos),
                request.rows()));
      }
    }
    if (traced != null) {
      tracer.executed(
          traced,
          batch.size(),
          rows,
          computeNanos,
          error == null ? Optional.empty() : Optional.of(error.code()));
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

  private static List<RequestOutcome> executeRequests(
      List<QueuedRequest> batch, RequestBatchInstance instance) {
    List<List<Tensor>> inputs = new ArrayList<>(batch.size());
    for (QueuedRequest request : batch) {
      inputs.add(request.request.inputs());
    }
    return instance.executeRequests(inputs, batch.get(0).request.outputNames());
  }

  /**
   * The outcomes of a batch run as separate requests, each request's outputs in the order it asked
   * for them.
   */
  private List<RequestOutcome> ordered(List<RequestOutcome> outcomes, List<QueuedRequest> batch) {
    if (outcomes == null || outcomes.size() != batch.size()) {
      throw new InferenceException(
          ErrorCode.INTERNAL,
          label
              + ": instance answered "
              + (outcomes == null ? "no" : String.valueOf(outcomes.size()))
              + " requests (expected "
              + batch.size()
              + ")");
    }
    List<String> outputNames = batch.get(0).request.outputNames();
    List<RequestOutcome> ordered = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      RequestOutcome outcome = outcomes.get(i);
      if (outcome.isError()) {
        ordered.add(outcome);
        continue;
      }
      checkCount(outcome.outputs(), outputNames);
      List<String> wanted = batch.get(i).request.outputNames();
      List<Tensor> own = new ArrayList<>(wanted.size());
      for (String name : wanted) {
        own.add(outcome.outputs().get(outputNames.indexOf(name)));
      }
      ordered.add(RequestOutcome.succeeded(own));
    }
    return ordered;
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
