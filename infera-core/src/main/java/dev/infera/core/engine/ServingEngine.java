package dev.infera.core.engine;

import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.InferenceService;
import dev.infera.core.ModelMetadata;
import dev.infera.core.RequestOptions;
import dev.infera.core.ServerMetadata;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.contract.ModelInterface;
import dev.infera.core.contract.TensorContract;
import dev.infera.core.metrics.InferenceStatistics;
import dev.infera.core.monitoring.InferenceObserver;
import dev.infera.core.pipeline.StepInvoker;
import dev.infera.core.routing.ModelRoutes;
import dev.infera.core.routing.Route;
import dev.infera.core.routing.RoutedVersion;
import dev.infera.core.routing.Router;
import dev.infera.core.routing.TrafficRecorder;
import dev.infera.core.routing.Variant;
import dev.infera.core.scheduling.ExecutionResult;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The {@link InferenceService} frontends call: routes each request to a ready version through the
 * {@link Router}, validates it, queues it on the version's scheduler, records its metrics and
 * shapes the response.
 *
 * <p>Threading: lock-free; the response future completes on the scheduler's thread.
 */
public final class ServingEngine implements InferenceService {
  private final Router router;
  private final BooleanSupplier modelsReady;
  private final TrafficRecorder recorder;
  private final boolean recording;
  private final ShadowRunner shadows;
  private final ServerMetadata metadata;
  private final LongSupplier nanoTime;
  private final InferenceObserver observer;
  private final Consumer<InferenceRequest> onRouted;
  private final AtomicInteger inflight = new AtomicInteger();
  private final LongAdder accepted = new LongAdder();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean accepting = true;
  private volatile boolean live = true;
  private volatile boolean started;

  /**
   * @param router routes requests to the lifecycle's published versions
   * @param modelsReady whether the models count as ready for the server's readiness
   * @param metadata what {@link #serverMetadata} answers
   * @param nanoTime the clock for request durations, in nanoseconds
   */
  public ServingEngine(
      Router router, BooleanSupplier modelsReady, ServerMetadata metadata, LongSupplier nanoTime) {
    this(
        router,
        modelsReady,
        metadata,
        nanoTime,
        InferenceObserver.NONE,
        TrafficRecorder.NONE,
        ShadowRunner.DEFAULT_LIMIT);
  }

  /**
   * @param observer sees every answered or refused request (drift monitoring, payload capture)
   */
  public ServingEngine(
      Router router,
      BooleanSupplier modelsReady,
      ServerMetadata metadata,
      LongSupplier nanoTime,
      InferenceObserver observer) {
    this(
        router,
        modelsReady,
        metadata,
        nanoTime,
        observer,
        TrafficRecorder.NONE,
        ShadowRunner.DEFAULT_LIMIT);
  }

  /**
   * @param observer sees every answered or refused request (drift monitoring, payload capture)
   * @param recorder receives every routed request's outcome per variant (rollouts, feedback,
   *     variant metrics)
   * @param shadowLimit how many shadow copies may be in flight at once; more are dropped and
   *     counted
   */
  public ServingEngine(
      Router router,
      BooleanSupplier modelsReady,
      ServerMetadata metadata,
      LongSupplier nanoTime,
      InferenceObserver observer,
      TrafficRecorder recorder,
      int shadowLimit) {
    this(router, modelsReady, metadata, nanoTime, observer, recorder, shadowLimit, request -> {});
  }

  /**
   * @param onRouted called on the thread calling {@link #infer} once a request has a model version
   *     (from then on the version's metrics count it); requests that fail before (unknown model, no
   *     ready version, shutting down) are not passed
   */
  public ServingEngine(
      Router router,
      BooleanSupplier modelsReady,
      ServerMetadata metadata,
      LongSupplier nanoTime,
      InferenceObserver observer,
      TrafficRecorder recorder,
      int shadowLimit,
      Consumer<InferenceRequest> onRouted) {
    this.onRouted = onRouted;
    this.router = router;
    this.modelsReady = modelsReady;
    this.recorder = recorder;
    this.recording = recorder != TrafficRecorder.NONE;
    this.shadows = new ShadowRunner(shadowLimit, recorder);
    this.metadata = metadata;
    this.nanoTime = nanoTime;
    this.observer = observer;
  }

  @Override
  public CompletableFuture<InferenceResponse> infer(InferenceRequest request) {
    long start = nanoTime.getAsLong();
    inflight.incrementAndGet(); // counted before the check, so that a drain never misses it
    if (!accepting) {
      finished();
      return CompletableFuture.failedFuture(
          InferenceException.unavailable("the server is shutting down; no new requests"));
    }
    if (!request.options().warmup()) {
      accepted.increment();
    }
    CompletableFuture<InferenceResponse> response;
    try {
      response = accepted(request, start);
    } catch (RuntimeException e) {
      finished();
      throw e;
    }
    response.whenComplete((ignored, failure) -> finished());
    return response;
  }

  /**
   * Runs the steps of pipelines through this engine: each step is routed, validated, queued and
   * recorded like a request to its model, and runs even once the engine stopped accepting new
   * requests (the pipeline's own request was accepted and is counted in flight).
   */
  public StepInvoker stepInvoker() {
    return request -> accepted(request, nanoTime.getAsLong());
  }

  private void finished() {
    if (inflight.decrementAndGet() == 0 && !accepting) {
      drained.complete(null);
    }
  }

  private CompletableFuture<InferenceResponse> accepted(InferenceRequest request, long start) {
    Route route;
    try {
      route =
          router.acquire(
              request.modelName(), request.modelVersion(), request.options().routingKey());
    } catch (InferenceException e) {
      return CompletableFuture.failedFuture(e);
    }
    onRouted.accept(request);
    // The server's warm-up requests take the plain path: no shadow copy, no fallback, no
    // judgement of a rollout (RequestOptions#warmup).
    if (request.options().warmup()
        || route.fallback().isEmpty()
            && route.shadow().isEmpty()
            && (!recording || request.modelVersion().isPresent())) {
      try {
        return run(request, route.version(), start, new AtomicReference<>());
      } catch (InferenceException invalid) {
        return CompletableFuture.failedFuture(invalid);
      }
    }
    CompletableFuture<InferenceResponse> response = new CompletableFuture<>();
    AtomicReference<CompletableFuture<?>> current = new AtomicReference<>();
    CompletableFuture<InferenceResponse> first;
    try {
      first = run(request, route.version(), start, current);
    } catch (InferenceException invalid) { // the request's fault: every variant would refuse it
      return CompletableFuture.failedFuture(invalid);
    }
    first.whenComplete(
        (answer, failure) -> {
          if (failure == null) {
            recorder.answered(
                request.modelName(),
                route.variant(),
                nanosSince(start),
                answer.outputs(),
                request.id());
            route.shadow().ifPresent(target -> shadows.submit(request, target, answer));
            response.complete(answer);
            return;
          }
          InferenceException error = asInferenceException(failure);
          recorder.failed(request.modelName(), route.variant(), nanosSince(start), error.code());
          Optional<InferenceRequest> retry =
              route.fallback().isPresent() && retryable(error)
                  ? Fallback.withinDeadline(request, nanosSince(start), nanoTime.getAsLong())
                  : Optional.empty();
          RoutedVersion stable = route.fallback().orElse(null);
          if (retry.isEmpty() || response.isDone() || !stable.tryAcquire()) {
            response.completeExceptionally(error);
            return;
          }
          String variant = Variant.name(request.modelName(), stable.model(), stable.version());
          CompletableFuture<InferenceResponse> again;
          try {
            again = run(retry.get(), stable, start, current);
          } catch (InferenceException invalid) {
            again = CompletableFuture.failedFuture(invalid);
          }
          again.whenComplete(
              (second, secondFailure) -> {
                if (secondFailure == null) {
                  recorder.answered(
                      request.modelName(),
                      variant,
                      nanosSince(start),
                      second.outputs(),
                      request.id());
                  response.complete(second);
                } else {
                  InferenceException last = asInferenceException(secondFailure);
                  recorder.failed(request.modelName(), variant, nanosSince(start), last.code());
                  response.completeExceptionally(last);
                }
              });
        });
    response.whenComplete(
        (ignored, failure) -> {
          CompletableFuture<?> execution = current.get();
          if (response.isCancelled() && execution != null) {
            execution.cancel(false);
          }
        });
    return response;
  }

  /**
   * Whether a failure of a variant is worth one retry on the stable version: any failure of a
   * request the variant accepted (even one its model rejected while running: the stable version
   * takes the same inputs), except a cancellation.
   */
  private static boolean retryable(InferenceException error) {
    return error.code() != ErrorCode.CANCELLED;
  }

  /**
   * Validates and queues a request on a version whose lease the caller took (and this returns),
   * answering with the version's outputs in the client's shapes.
   *
   * @param current receives the scheduler's future, so that cancelling the response withdraws it
   * @throws InferenceException when the request does not fit the version's inputs (recorded in the
   *     version's meters)
   */
  private CompletableFuture<InferenceResponse> run(
      InferenceRequest request,
      RoutedVersion version,
      long start,
      AtomicReference<CompletableFuture<?>> current) {
    ScheduledRequest scheduled;
    CompletableFuture<ExecutionResult> execution;
    try { // the lease keeps a version being swapped out from stopping before the request is queued
      try {
        scheduled = version.validator().validate(request, callerTimeout(request.options()));
      } catch (InferenceException e) {
        if (!request.options().warmup()) {
          version.metrics().recordFailure(e.code(), elapsed(start));
          observer.rejected(request, version.model(), Long.toString(version.version()), e);
        }
        throw e;
      }
      execution = version.scheduler().enqueue(scheduled);
    } finally {
      version.release();
    }
    current.set(execution);
    CompletableFuture<InferenceResponse> response =
        execution.handle(
            (result, failure) -> answer(request, version, scheduled, start, result, failure));
    response.whenComplete(
        (ignored, failure) -> {
          if (response.isCancelled()) {
            execution.cancel(false);
          }
        });
    return response;
  }

  private long nanosSince(long start) {
    return nanoTime.getAsLong() - start;
  }

  /**
   * How long the caller lets the request wait to execute: the earlier of its timeout and its
   * deadline.
   *
   * @throws InferenceException DEADLINE_EXCEEDED when the deadline already passed
   */
  private Optional<Duration> callerTimeout(RequestOptions options) {
    if (options.deadline().isEmpty()) {
      return options.timeout();
    }
    Duration left = options.deadline().get().remaining(nanoTime.getAsLong());
    if (left.isNegative() || left.isZero()) {
      throw new InferenceException(
          ErrorCode.DEADLINE_EXCEEDED, "the request's deadline passed before it was queued");
    }
    if (options.timeout().isPresent() && options.timeout().get().compareTo(left) <= 0) {
      return options.timeout();
    }
    return Optional.of(left);
  }

  private InferenceResponse answer(
      InferenceRequest request,
      RoutedVersion version,
      ScheduledRequest scheduled,
      long start,
      ExecutionResult result,
      Throwable failure) {
    if (failure != null) {
      InferenceException error = asInferenceException(failure);
      if (!request.options().warmup()) {
        version.metrics().recordFailure(error.code(), elapsed(start));
      }
      throw error;
    }
    List<Tensor> outputs = new ArrayList<>(result.outputs().size());
    for (Tensor output : result.outputs()) {
      outputs.add(version.validator().toClientShape(output, scheduled.rows()));
    }
    InferenceResponse response =
        new InferenceResponse(
            version.model(),
            Long.toString(version.version()),
            request.id(),
            outputs,
            result.parameters());
    if (request.options().warmup()) {
      return response; // counted nowhere a user looks (RequestOptions#warmup)
    }
    version
        .metrics()
        .recordSuccess(
            scheduled.rows(),
            elapsed(start),
            result.queueTime(),
            result.computeTime(),
            result.fromCache());
    observer.completed(request, response, version.contract().batched());
    return response;
  }

  static InferenceException asInferenceException(Throwable failure) {
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
    return InferenceException.internal("inference failed: " + cause, cause);
  }

  private Duration elapsed(long start) {
    return Duration.ofNanos(nanoTime.getAsLong() - start);
  }

  @Override
  public ServerMetadata serverMetadata() {
    return metadata;
  }

  @Override
  public ModelMetadata modelMetadata(String modelName, Optional<String> version) {
    RoutedVersion routed = router.route(modelName, version, Optional.empty()).version();
    List<String> versions =
        version.isPresent()
            ? List.of(Long.toString(routed.version())) // "01" is version 1
            : router.table().model(modelName).map(ModelRoutes::ready).orElse(List.of()).stream()
                .map(v -> Long.toString(v.version()))
                .toList();
    ModelInterface contract = routed.contract();
    return new ModelMetadata(
        modelName,
        versions,
        routed.config().getPlatform().isEmpty()
            ? routed.config().getBackend()
            : routed.config().getPlatform(),
        specs(contract.inputs(), contract.batched()),
        specs(contract.outputs(), contract.batched()),
        contract.batched() ? contract.maxBatchSize() : 0);
  }

  private static List<TensorSpec> specs(List<TensorContract> contracts, boolean batched) {
    return contracts.stream()
        .map(
            c -> {
              long[] dims = c.dims();
              if (!batched) {
                return new TensorSpec(c.name(), c.dataType(), dims);
              }
              long[] full = new long[dims.length + 1];
              full[0] = -1;
              System.arraycopy(dims, 0, full, 1, dims.length);
              return new TensorSpec(c.name(), c.dataType(), full);
            })
        .toList();
  }

  @Override
  public ModelConfig modelConfig(String modelName, Optional<String> version) {
    return router.route(modelName, version, Optional.empty()).version().config();
  }

  @Override
  public Map<String, List<String>> outputLabels(String modelName, String version) {
    return router.route(modelName, Optional.of(version), Optional.empty()).version().outputLabels();
  }

  @Override
  public List<InferenceStatistics> modelStatistics(
      Optional<String> modelName, Optional<String> version) {
    if (modelName.isEmpty()) {
      return router.table().models().values().stream()
          .sorted(java.util.Comparator.comparing(ModelRoutes::name))
          .flatMap(routes -> routes.ready().stream())
          .map(v -> v.metrics().statistics().snapshot())
          .toList();
    }
    String name = modelName.get();
    if (version.isPresent()) {
      return List.of(
          router
              .route(name, version, Optional.empty())
              .version()
              .metrics()
              .statistics()
              .snapshot());
    }
    List<RoutedVersion> ready =
        router.table().model(name).map(ModelRoutes::ready).orElse(List.of());
    if (ready.isEmpty()) {
      router.route(name, version, Optional.empty()); // NOT_FOUND or UNAVAILABLE, with the reason
    }
    return ready.stream().map(v -> v.metrics().statistics().snapshot()).toList();
  }

  @Override
  public boolean isModelReady(String modelName, Optional<String> version) {
    try {
      return router.route(modelName, version, Optional.empty()).version().dependenciesReady();
    } catch (InferenceException e) {
      return false;
    }
  }

  @Override
  public boolean isLive() {
    return live;
  }

  @Override
  public boolean isReady() {
    return started && accepting && modelsReady.getAsBoolean();
  }

  /**
   * Lets readiness turn true: the assembly calls it once every endpoint accepts connections and the
   * start-up loads finished. Before, {@link #isReady} is false whatever the models' states.
   */
  public void startServing() {
    started = true;
  }

  /** Turns readiness false and refuses new requests; accepted ones go on. */
  public void stopAccepting() {
    accepting = false;
    if (inflight.get() == 0) {
      drained.complete(null);
    }
  }

  /**
   * Completes once {@link #stopAccepting} was called and every request accepted before it has its
   * answer (success or failure).
   */
  public CompletableFuture<Void> drained() {
    return drained.copy();
  }

  /** Requests accepted since the engine started (refused ones are not counted). */
  public long acceptedCount() {
    return accepted.sum();
  }

  /** Requests accepted and not yet answered. */
  public int inflightCount() {
    return inflight.get();
  }

  /** Marks the process not live, once shutdown completed. */
  public void markStopped() {
    live = false;
  }
}
