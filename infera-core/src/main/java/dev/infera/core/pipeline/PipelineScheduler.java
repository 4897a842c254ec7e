package dev.infera.core.pipeline;

import dev.infera.core.contract.ModelInterface;
import dev.infera.core.scheduling.ExecutionResult;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.core.scheduling.Scheduler;
import dev.infera.spi.InferenceException;
import io.opentelemetry.api.trace.Tracer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The scheduler of an ensemble version: runs each request's steps on their models through the
 * {@link StepInvoker}, so each step queues and batches on its model's own scheduler. It has no
 * queue or thread of its own; step futures complete on the step models' threads, which start the
 * steps that were waiting for them.
 *
 * <p>Thread-safe. Cancelling a request's future withdraws its queued steps.
 */
public final class PipelineScheduler implements Scheduler {
  private final Pipeline pipeline;
  private final Map<Integer, ModelInterface> stepModels;
  private final StepInvoker invoker;
  private final ScheduledExecutorService timer;
  private final LongSupplier nanoTime;
  private final PipelineMeters meters;
  private final Tracer tracer;
  private final AtomicInteger inflight = new AtomicInteger();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean stopping;

  /**
   * @param stepModels the interface of each step's model by step index, as checked at load
   * @param timer runs step timeouts (shared, owned by the lifecycle)
   * @param nanoTime the engine's clock
   */
  public PipelineScheduler(
      Pipeline pipeline,
      Map<Integer, ModelInterface> stepModels,
      StepInvoker invoker,
      ScheduledExecutorService timer,
      LongSupplier nanoTime,
      PipelineMeters meters) {
    this(pipeline, stepModels, invoker, timer, nanoTime, meters, null);
  }

  /**
   * @param tracer builds a span per step of each traced request (docs/observability.md); null for a
   *     server that does not trace
   */
  public PipelineScheduler(
      Pipeline pipeline,
      Map<Integer, ModelInterface> stepModels,
      StepInvoker invoker,
      ScheduledExecutorService timer,
      LongSupplier nanoTime,
      PipelineMeters meters,
      Tracer tracer) {
    this.tracer = tracer;
    this.pipeline = pipeline;
    this.stepModels = Map.copyOf(stepModels);
    this.invoker = invoker;
    this.timer = timer;
    this.nanoTime = nanoTime;
    this.meters = meters;
  }

  @Override
  public CompletableFuture<ExecutionResult> enqueue(ScheduledRequest request) {
    inflight.incrementAndGet(); // before the check, so that a drain never misses it
    if (stopping) {
      finished();
      return CompletableFuture.failedFuture(
          InferenceException.unavailable(
              "ensemble '" + pipeline.model() + "' is unloading; no new requests"));
    }
    PipelineRun run = new PipelineRun(this, request);
    CompletableFuture<ExecutionResult> result;
    try {
      result = run.start();
    } catch (RuntimeException e) {
      finished();
      throw e;
    }
    result.whenComplete((ignored, failure) -> finished());
    CompletableFuture<ExecutionResult> answer = result.copy();
    answer.whenComplete(
        (ignored, failure) -> {
          if (answer.isCancelled()) {
            run.cancel();
          }
        });
    return answer;
  }

  private void finished() {
    if (inflight.decrementAndGet() == 0 && stopping) {
      drained.complete(null);
    }
  }

  @Override
  public int inflightCount() {
    return inflight.get();
  }

  @Override
  public CompletableFuture<Void> stop() {
    stopping = true;
    if (inflight.get() == 0) {
      drained.complete(null);
    }
    return drained.thenRun(meters::close);
  }

  Pipeline pipeline() {
    return pipeline;
  }

  ModelInterface stepModel(PipelineStep step) {
    return stepModels.get(step.index());
  }

  StepInvoker invoker() {
    return invoker;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  long nanoTime() {
    return nanoTime.getAsLong();
  }

  PipelineMeters meters() {
    return meters;
  }

  /** The server's tracer; null when it does not trace. */
  Tracer tracer() {
    return tracer;
  }
}
