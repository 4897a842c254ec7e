package dev.infera.core.pipeline;

import dev.infera.core.Deadline;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.RequestOptions;
import dev.infera.core.RequestedOutput;
import dev.infera.core.contract.TensorContract;
import dev.infera.core.scheduling.ExecutionResult;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request through a pipeline: a future per tensor, each step started by the completion of the
 * tensors it reads, so that independent steps run at once and no thread waits for a step. Tensors
 * pass from step to step as they are (renamed, never copied); only cascades and routers copy the
 * rows they split and merge.
 *
 * <p>A tensor's future holds empty when the tensor is absent (a soft step failed or a step was
 * skipped); a step reading an absent tensor is skipped. A hard step's failure fails every tensor
 * after it, and so the request, with the step named.
 */
final class PipelineRun {
  private final PipelineScheduler owner;
  private final ScheduledRequest request;
  private final Optional<Deadline> deadline;
  private final int rows;
  private final Map<String, CompletableFuture<Optional<Tensor>>> tensors =
      new ConcurrentHashMap<>();
  private final List<CompletableFuture<?>> calls = new CopyOnWriteArrayList<>();
  private final RunReport report = new RunReport();
  private final Map<Integer, StepTrace> traces = new ConcurrentHashMap<>();

  PipelineRun(PipelineScheduler owner, ScheduledRequest request) {
    this.owner = owner;
    this.request = request;
    long now = owner.nanoTime();
    this.deadline = request.timeout().map(timeout -> Deadline.after(timeout, now));
    this.rows = request.rows();
  }

  /** Starts every step; completes with the requested outputs that are present. */
  CompletableFuture<ExecutionResult> start() {
    long started = owner.nanoTime();
    for (Tensor input : request.inputs()) {
      tensors.put(input.name(), CompletableFuture.completedFuture(Optional.of(input)));
    }
    for (PipelineStep step : owner.pipeline().steps()) {
      List<String> reads = new ArrayList<>(step.inputMap().values());
      reads.addAll(step.policy().readTensors());
      CompletableFuture<?>[] needed =
          reads.stream().map(tensors::get).toArray(CompletableFuture[]::new);
      CompletableFuture<Map<String, Tensor>> outputs =
          CompletableFuture.allOf(needed).thenCompose(ignored -> timed(step, values(reads)));
      step.outputMap()
          .forEach(
              (output, tensor) ->
                  tensors.put(tensor, outputs.thenApply(m -> Optional.ofNullable(m.get(output)))));
    }
    List<CompletableFuture<Optional<Tensor>>> wanted =
        request.outputNames().stream().map(tensors::get).toList();
    return CompletableFuture.allOf(wanted.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              List<Tensor> outputs = new ArrayList<>();
              for (int i = 0; i < wanted.size(); i++) {
                String name = request.outputNames().get(i);
                wanted.get(i).join().ifPresent(tensor -> outputs.add(tensor.withName(name)));
              }
              Duration took = Duration.ofNanos(owner.nanoTime() - started);
              return new ExecutionResult(
                  outputs, Duration.ZERO, took, rows, false, report.parameters());
            });
  }

  /** Withdraws the steps still queued. */
  void cancel() {
    calls.forEach(call -> call.cancel(false));
  }

  private Map<String, Optional<Tensor>> values(List<String> names) {
    Map<String, Optional<Tensor>> values = new HashMap<>();
    names.forEach(name -> values.put(name, tensors.get(name).join()));
    return values;
  }

  private CompletableFuture<Map<String, Tensor>> timed(
      PipelineStep step, Map<String, Optional<Tensor>> values) {
    long started = owner.nanoTime();
    StepTrace trace = StepTrace.start(owner.tracer(), request.span(), step);
    if (trace != StepTrace.NONE) {
      traces.put(step.index(), trace);
    }
    CompletableFuture<Map<String, Tensor>> outputs;
    try {
      outputs = run(step, values);
    } catch (InferenceException e) {
      outputs = CompletableFuture.failedFuture(hardFailure(step, e));
    }
    return outputs.whenComplete(
        (result, failure) -> {
          owner
              .meters()
              .step(
                  step,
                  failure == null ? "success" : "failure",
                  Duration.ofNanos(owner.nanoTime() - started));
          trace.end(failure == null ? Optional.empty() : Optional.of(unwrap(failure).code()));
        });
  }

  private CompletableFuture<Map<String, Tensor>> run(
      PipelineStep step, Map<String, Optional<Tensor>> values) {
    for (Map.Entry<String, String> input : step.inputMap().entrySet()) {
      if (values.get(input.getValue()).isEmpty()) {
        return skip(step, "its input tensor '" + input.getValue() + "' is absent");
      }
    }
    StepPolicy policy = step.policy();
    if (policy.when().isPresent()) {
      Condition condition = policy.when().get();
      Optional<Tensor> tested = values.get(condition.tensor());
      if (tested.isEmpty() || !holdsForAll(condition, tested.get())) {
        return skip(step, "condition '" + condition + "' does not hold");
      }
    }
    Map<String, Tensor> inputs = new TreeMap<>();
    step.inputMap()
        .forEach((input, tensor) -> inputs.put(input, values.get(tensor).get().withName(input)));
    if (policy.cascade().isPresent()) {
      return Splits.cascade(this, step, inputs, values);
    }
    if (policy.routeBy().isPresent()) {
      return Splits.route(this, step, inputs, values);
    }
    return attempt(step, step.model(), step.version(), inputs, rowsOf(inputs))
        .thenApply(
            outputs -> {
              owner.meters().answered(step, "model", rowsOf(inputs));
              return outputs;
            });
  }

  private static boolean holdsForAll(Condition condition, Tensor tensor) {
    for (long i = 0; i < tensor.elementCount(); i++) {
      if (!condition.test(Rows.value(tensor, i))) {
        return false;
      }
    }
    return tensor.elementCount() > 0;
  }

  private CompletableFuture<Map<String, Tensor>> skip(PipelineStep step, String reason) {
    report.skipped(step.label() + ": " + reason);
    trace(step).outcome(StepTrace.Outcome.SKIPPED);
    owner.meters().answered(step, "skipped", rows);
    return CompletableFuture.completedFuture(constantsOrAbsent(step, rows));
  }

  RunReport report() {
    return report;
  }

  /** The step's span; {@link StepTrace#NONE} when the request is untraced. */
  StepTrace trace(PipelineStep step) {
    return traces.getOrDefault(step.index(), StepTrace.NONE);
  }

  PipelineMeters meters() {
    return owner.meters();
  }

  static int rowsOf(Map<String, Tensor> inputs) {
    return inputs.isEmpty() ? 1 : Rows.count(inputs.values().iterator().next());
  }

  /**
   * Runs the step's model (or the model a router picked) on the inputs, with its timeout, retry and
   * fallback; completes with the outputs by model output name, or with none when a soft step
   * failed.
   */
  CompletableFuture<Map<String, Tensor>> attempt(
      PipelineStep step,
      String model,
      Optional<String> version,
      Map<String, Tensor> inputs,
      int stepRows) {
    return call(step, model, version, inputs)
        .exceptionallyCompose(
            failure -> {
              InferenceException error = unwrap(failure);
              if (step.policy().retries() > 0 && retryable(error) && !deadlinePassed()) {
                return call(step, model, version, inputs);
              }
              return CompletableFuture.failedFuture(error);
            })
        .exceptionallyCompose(failure -> recover(step, inputs, stepRows, unwrap(failure)));
  }

  private CompletableFuture<Map<String, Tensor>> recover(
      PipelineStep step, Map<String, Tensor> inputs, int stepRows, InferenceException error) {
    StepPolicy policy = step.policy();
    if (error.code() == ErrorCode.CANCELLED) {
      return CompletableFuture.failedFuture(error);
    }
    if (policy.fallbackModel().isPresent()) {
      String fallback = policy.fallbackModel().get();
      return call(step, fallback, Optional.empty(), inputs)
          .thenApply(
              outputs -> {
                report.fallback(
                    step.label() + " answered by model '" + fallback + "': " + error.getMessage());
                owner.meters().answered(step, "fallback_model", stepRows);
                trace(step).fallbackModel(fallback);
                trace(step).outcome(StepTrace.Outcome.FALLBACK_MODEL);
                return outputs;
              })
          .exceptionallyCompose(
              second -> lastResort(step, stepRows, unwrap(second), error.getMessage() + "; "));
    }
    return lastResort(step, stepRows, error, "");
  }

  private CompletableFuture<Map<String, Tensor>> lastResort(
      PipelineStep step, int stepRows, InferenceException error, String earlier) {
    StepPolicy policy = step.policy();
    String reason = earlier + error.getMessage();
    if (policy.fallbackValue().isPresent()) {
      report.fallback(
          step.label()
              + " answered with fallback_value "
              + policy.fallbackValue().get()
              + ": "
              + reason);
      owner.meters().answered(step, "fallback_value", stepRows);
      trace(step).outcome(StepTrace.Outcome.FALLBACK_VALUE);
      return CompletableFuture.completedFuture(constantsOrAbsent(step, stepRows));
    }
    if (policy.soft()) {
      report.softFailure(step.label() + ": " + reason);
      owner.meters().answered(step, "soft_failure", stepRows);
      trace(step).outcome(StepTrace.Outcome.SOFT_FAILURE);
      return CompletableFuture.completedFuture(Map.of());
    }
    return CompletableFuture.failedFuture(hardFailure(step, error));
  }

  /**
   * The request's failure for a failed hard step, keeping the step's code, except that a step model
   * not found (unloaded) makes the ensemble UNAVAILABLE: the ensemble itself exists.
   */
  private InferenceException hardFailure(PipelineStep step, InferenceException error) {
    return new InferenceException(
        error.code() == ErrorCode.NOT_FOUND ? ErrorCode.UNAVAILABLE : error.code(),
        "ensemble '"
            + owner.pipeline().model()
            + "' "
            + step.label()
            + " failed: "
            + error.getMessage());
  }

  /** The step's outputs filled with its fallback_value, or none when it has none. */
  private Map<String, Tensor> constantsOrAbsent(PipelineStep step, int stepRows) {
    if (step.policy().fallbackValue().isEmpty()) {
      return Map.of();
    }
    double value = step.policy().fallbackValue().get();
    var model = owner.stepModel(step);
    Map<String, Tensor> outputs = new HashMap<>();
    for (TensorContract output : model.outputs()) {
      if (!step.outputMap().containsKey(output.name())) {
        continue;
      }
      long[] dims = output.dims();
      long[] shape = dims;
      if (model.batched()) {
        shape = new long[dims.length + 1];
        shape[0] = stepRows;
        System.arraycopy(dims, 0, shape, 1, dims.length);
      }
      outputs.put(output.name(), Rows.constant(output.name(), output.dataType(), shape, value));
    }
    return outputs;
  }

  private CompletableFuture<Map<String, Tensor>> call(
      PipelineStep step, String model, Optional<String> version, Map<String, Tensor> inputs) {
    Optional<Duration> timeout = step.policy().timeout();
    Optional<Deadline> stepDeadline = deadline;
    long now = owner.nanoTime();
    if (timeout.isPresent()) {
      Deadline own = Deadline.after(timeout.get(), now);
      if (stepDeadline.isEmpty() || own.nanoTime() - stepDeadline.get().nanoTime() < 0) {
        stepDeadline = Optional.of(own);
      }
    }
    if (deadline.isPresent() && deadline.get().hasPassed(now)) {
      return CompletableFuture.failedFuture(
          new InferenceException(
              ErrorCode.DEADLINE_EXCEEDED, "the request's deadline passed before this step"));
    }
    RequestOptions.Builder options =
        RequestOptions.builder().priority(request.priority()).warmup(request.warmup());
    stepDeadline.ifPresent(options::deadline);
    StepTrace trace = trace(step);
    trace.context().ifPresent(options::span);
    trace.sent(rowsOf(inputs));
    InferenceRequest stepRequest =
        new InferenceRequest(
            model,
            version,
            Optional.empty(),
            List.copyOf(inputs.values()),
            step.outputMap().keySet().stream().sorted().map(RequestedOutput::named).toList(),
            options.build());
    CompletableFuture<InferenceResponse> response;
    try {
      response = owner.invoker().invoke(stepRequest);
    } catch (InferenceException e) {
      response = CompletableFuture.failedFuture(e);
    }
    calls.add(response);
    if (timeout.isPresent()) {
      response = bounded(response, timeout.get(), model);
    }
    return response.thenApply(
        answer -> {
          Map<String, Tensor> outputs = new HashMap<>();
          answer.outputs().forEach(tensor -> outputs.put(tensor.name(), tensor));
          return outputs;
        });
  }

  /**
   * The response, or DEADLINE_EXCEEDED once the timeout passes; the call is withdrawn (cancelled)
   * before the timeout is reported, so whoever sees the timeout sees the call withdrawn.
   */
  private <T> CompletableFuture<T> bounded(
      CompletableFuture<T> call, Duration timeout, String model) {
    CompletableFuture<T> bounded = new CompletableFuture<>();
    InferenceException timedOut =
        new InferenceException(
            ErrorCode.DEADLINE_EXCEEDED,
            "model '" + model + "' did not answer within timeout_ms=" + timeout.toMillis());
    java.util.concurrent.atomic.AtomicBoolean expired =
        new java.util.concurrent.atomic.AtomicBoolean();
    ScheduledFuture<?> timer =
        owner
            .timer()
            .schedule(
                () -> {
                  expired.set(true);
                  call.cancel(false);
                  bounded.completeExceptionally(timedOut);
                },
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
    call.whenComplete(
        (value, failure) -> {
          timer.cancel(false);
          if (failure == null) {
            bounded.complete(value);
          } else {
            bounded.completeExceptionally(expired.get() ? timedOut : failure);
          }
        });
    return bounded;
  }

  private boolean deadlinePassed() {
    return deadline.isPresent() && deadline.get().hasPassed(owner.nanoTime());
  }

  private static boolean retryable(InferenceException error) {
    return error.code() != ErrorCode.INVALID_ARGUMENT && error.code() != ErrorCode.CANCELLED;
  }

  static InferenceException unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof InferenceException inference) {
      return inference;
    }
    if (cause instanceof CancellationException) {
      return new InferenceException(ErrorCode.CANCELLED, "the request was cancelled");
    }
    return InferenceException.internal("pipeline step failed: " + cause, cause);
  }
}
