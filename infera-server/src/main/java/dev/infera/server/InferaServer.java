package dev.infera.server;

import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcHealthCheckService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.logging.AccessLogWriter;
import dev.infera.batch.ModelAccess;
import dev.infera.batch.jobs.JobManager;
import dev.infera.batch.jobs.JobSettings;
import dev.infera.core.ServerMetadata;
import dev.infera.core.autoscale.AutoscaleSignals;
import dev.infera.core.cache.ResponseCache;
import dev.infera.core.engine.ServingEngine;
import dev.infera.core.lifecycle.BackendRegistry;
import dev.infera.core.lifecycle.BatchingSchedulerFactory;
import dev.infera.core.lifecycle.ModelController;
import dev.infera.core.lifecycle.ModelManager;
import dev.infera.core.lifecycle.ModelState;
import dev.infera.core.metrics.MicrometerBackendMeters;
import dev.infera.core.monitoring.DriftMonitoring;
import dev.infera.core.monitoring.InferenceObserver;
import dev.infera.core.repository.LocalModelRepository;
import dev.infera.core.repository.ModelRepository;
import dev.infera.core.resilience.BreakerSettings;
import dev.infera.core.routing.Router;
import dev.infera.core.routing.rollout.RoutingStore;
import dev.infera.core.routing.rollout.TrafficManager;
import dev.infera.core.scheduling.Ticker;
import dev.infera.server.capture.PayloadCapture;
import dev.infera.server.extension.SharedMemoryRegistry;
import dev.infera.server.gpu.GpuMetrics;
import dev.infera.server.grpc.GrpcApi;
import dev.infera.server.logging.AccessLog;
import dev.infera.server.logging.LogControl;
import dev.infera.server.observability.DriftApi;
import dev.infera.server.observability.ObservabilityOptions;
import dev.infera.server.observability.ProfileFiles;
import dev.infera.server.protocol.Extensions;
import dev.infera.server.rest.JobsApi;
import dev.infera.server.rest.LoggingApi;
import dev.infera.server.rest.RepositoryApi;
import dev.infera.server.rest.RestApi;
import dev.infera.server.rest.SharedMemoryApi;
import dev.infera.server.rest.TrafficApi;
import dev.infera.server.security.AsteriskOptions;
import dev.infera.server.security.RequestBodyBudget;
import dev.infera.server.security.Security;
import dev.infera.server.security.WarmupPass;
import dev.infera.server.state.JsonFileStore;
import dev.infera.server.tracing.TraceControl;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Infera process: the model manager and engine, and three endpoints (KServe v2 REST, KServe v2
 * gRPC, Prometheus metrics), each on its own address and port and each one optional.
 *
 * <p>Start-up order, safe behind a load balancer: every enabled endpoint binds first (a port in use
 * fails start-up at once, naming the port and its flag, before any model loads); then the models
 * load; then, unless turned off, the server warms itself up ({@link ServerWarmup}); only then can
 * readiness ({@code /v2/health/ready}, gRPC {@code ServerReady} and the standard {@code
 * grpc.health.v1.Health}) turn true, and it stays true while the models are ready. {@link #close}
 * refuses new requests at once, lets accepted ones finish within the exit timeout, then stops
 * endpoints, models and backends in reverse start order.
 */
public final class InferaServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferaServer.class);
  private static final Duration HEALTH_REFRESH = Duration.ofSeconds(1);

  /** How often running rollouts are checked for a due step. */
  private static final Duration JUDGE_TICK = Duration.ofMillis(200);

  /** Shadow copies in flight at most; more are dropped and counted. */
  private static final int SHADOW_LIMIT = 64;

  private static final String GRPC_INFERENCE_SERVICE = "inference.GRPCInferenceService";

  private final ServerOptions options;
  private final LogControl logging;
  private final BuildInfo build;
  private final PrometheusMeterRegistry registry;
  private final Security security;
  private final BackendRegistry backends;
  private final ModelManager manager;
  private final ModelController controller;
  private final AutoscaleSignals autoscale;
  private final ServingEngine engine;
  private final TrafficManager traffic;
  private final RequestBodyBudget bodyBudget;
  private final Optional<DriftMonitoring> drift;
  private final TraceControl tracing;
  private final Optional<PayloadCapture> capture;
  private final boolean accessLog;
  private final Optional<GpuMetrics> gpus;
  private final Optional<JobManager> jobs;
  private final SharedMemoryRegistry sharedMemory =
      new SharedMemoryRegistry(SharedMemoryRegistry.DEV_SHM);
  private final ReadinessHealthChecker health;
  private final Endpoints endpoints;
  private final ScheduledFuture<?> healthRefresh;
  private final AtomicBoolean closed = new AtomicBoolean();

  private InferaServer(
      ServerOptions options,
      ObservabilityOptions observability,
      ModelRepository repository,
      LogControl logging,
      Optional<JobSettings> jobSettings) {
    this.options = options;
    this.logging = logging;
    this.build = BuildInfo.current();
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServerMeters.bind(registry, build);
    this.gpus = GpuMetrics.start(registry, Duration.ofSeconds(2));
    this.security = Security.from(options.security(), registry);
    this.backends = BackendRegistry.discover();
    backends.configure(
        options.manager().backendConfig().byBackend(backends.backends()),
        new MicrometerBackendMeters(registry));
    for (String unknown :
        options.manager().backendConfig().unknownBackends(backends.knownNames())) {
      LOG.warn("--backend-config names backend '{}', which is not installed", unknown);
    }
    LOG.info("network transport: {}", NetworkTransport.describe());
    LOG.info(
        "backends: {}",
        backends.backends().stream().map(b -> b.name() + " " + b.aliases()).toList());
    this.tracing = new TraceControl(observability.tracing());
    this.accessLog = observability.accessLog();
    this.manager =
        new ModelManager(
            repository,
            backends,
            new BatchingSchedulerFactory(
                Ticker.system(),
                new BatchingSchedulerFactory.Guards(
                    registry,
                    Clock.systemUTC(),
                    BreakerSettings.DEFAULTS,
                    options.cache().map(settings -> new ResponseCache(settings, registry))),
                tracing.tracer()),
            registry,
            options.manager());
    this.drift =
        observability
            .drift()
            .map(
                settings ->
                    new DriftMonitoring(
                        settings,
                        registry,
                        System::nanoTime,
                        new ProfileFiles(options.modelRepository()),
                        observability::watches,
                        this::readyVersionKeys));
    drift.ifPresent(DriftMonitoring::start);
    this.capture =
        observability.capture().map(c -> new PayloadCapture(c, registry, Clock.systemUTC()));
    List<InferenceObserver> observers = new java.util.ArrayList<>();
    drift.ifPresent(observers::add);
    capture.ifPresent(observers::add);
    this.traffic =
        new TrafficManager(
            manager::routingTable,
            options.stateDir().<RoutingStore>map(JsonFileStore::new).orElse(RoutingStore.NONE),
            Clock.systemUTC(),
            registry);
    Router router = new Router(manager::routingTable, traffic::routerFor);
    this.engine =
        new ServingEngine(
            router,
            manager::allReady,
            new ServerMetadata(options.serverId(), build.version(), Extensions.SUPPORTED),
            System::nanoTime,
            InferenceObserver.all(observers),
            traffic,
            SHADOW_LIMIT,
            RejectedRequests::routed);
    manager.runPipelineStepsWith(engine.stepInvoker());
    this.bodyBudget = new RequestBodyBudget(options.limits().maxBufferedRequestBytes(), registry);
    traffic.start(JUDGE_TICK);
    this.autoscale = new AutoscaleSignals(manager, registry, options.autoscale(), Ticker.system());
    autoscale.start();
    this.controller = new ModelController(manager, options.manager().control());
    this.jobs =
        jobSettings.map(
            settings ->
                new JobManager(new ModelAccess(router, engine), settings, Clock.systemUTC()));
    this.health = new ReadinessHealthChecker(engine::isReady);
    RejectedRequests rejected = new RejectedRequests(registry);
    try {
      this.endpoints =
          Endpoints.open(
              Map.of(
                  Endpoints.Kind.HTTP, options.http(),
                  Endpoints.Kind.GRPC, options.grpc(),
                  Endpoints.Kind.METRICS, options.metrics()),
              kind ->
                  switch (kind) {
                    case HTTP -> httpBuilder(rejected);
                    case GRPC -> grpcBuilder(rejected);
                    case METRICS -> metricsBuilder();
                  });
    } catch (RuntimeException e) {
      releaseAfterFailedStart();
      if (e instanceof IllegalStateException
          && String.valueOf(e.getMessage()).contains("SSL/TLS")
          && options.security().tls().isPresent()) {
        throw new StartupException(options.security().tls().get().mismatch(e), e);
      }
      throw e;
    }
    try {
      controller.start();
      failOnLoadErrors();
    } catch (RuntimeException e) {
      endpoints.stop().join();
      traffic.close();
      autoscale.close();
      controller.close();
      manager.close();
      releaseAfterFailedStart();
      throw e;
    }
    try {
      ServerWarmup.beforeReadiness(
              options, manager, engine, endpoints, security.warmupPass().token())
          .ifPresent(result -> WarmupMeters.bind(registry, result));
    } catch (RuntimeException e) { // a warm-up is worth nothing a start-up should fail for
      LOG.warn("warm-up stopped: {}", e.toString());
    }
    security.warmupPass().close(); // never honoured again, warm-up or not
    engine.startServing();
    health.refresh();
    this.healthRefresh =
        CommonPools.workerGroup()
            .next()
            .scheduleAtFixedRate(
                health::refresh,
                HEALTH_REFRESH.toMillis(),
                HEALTH_REFRESH.toMillis(),
                TimeUnit.MILLISECONDS);
    LOG.info("{} started; ready: {}", build.describe(), engine.isReady());
  }

  /**
   * Starts a server: binds its endpoints, loads the repository's models, then lets readiness turn
   * true. Takes over the process's log settings with {@code options.logging()}.
   *
   * @throws StartupException when an endpoint cannot listen, or with {@code exitOnError} when a
   *     model failed to load; nothing is left running then
   */
  public static InferaServer start(ServerOptions options) {
    return start(options, ObservabilityOptions.NONE);
  }

  /** Starts a server that also watches what {@code observability} asks for; see {@link #start}. */
  public static InferaServer start(ServerOptions options, ObservabilityOptions observability) {
    return start(options, observability, new LocalModelRepository(options.modelRepository()));
  }

  /**
   * Starts a server on another model repository (an S3 bucket's mirror); {@code
   * options.modelRepository()} is then only reported. The caller closes the repository after the
   * server.
   */
  public static InferaServer start(ServerOptions options, ModelRepository repository) {
    return start(options, ObservabilityOptions.NONE, repository);
  }

  /**
   * Starts a server on {@code repository} that also watches what {@code observability} asks for.
   */
  public static InferaServer start(
      ServerOptions options, ObservabilityOptions observability, ModelRepository repository) {
    return start(options, observability, repository, Optional.empty());
  }

  /**
   * Starts a server on {@code repository} that also watches what {@code observability} asks for,
   * and runs batch jobs ({@code /v2/jobs}) when given job settings.
   */
  public static InferaServer start(
      ServerOptions options,
      ObservabilityOptions observability,
      ModelRepository repository,
      Optional<JobSettings> jobs) {
    LogControl logging = LogControl.forLogback(options.logging());
    LOG.info(
        "starting {} with {} and {} on model repository {}{}",
        BuildInfo.current().describe(),
        options,
        observability,
        repository.location(),
        jobs.map(j -> ", batch jobs " + j).orElse(""));
    return new InferaServer(options, observability, repository, logging, jobs);
  }

  private Set<String> readyVersionKeys() {
    return manager.index().stream()
        .filter(status -> status.state() == ModelState.READY)
        .map(status -> DriftMonitoring.key(status.model(), status.version()))
        .collect(Collectors.toSet());
  }

  private void releaseAfterFailedStart() {
    drift.ifPresent(DriftMonitoring::close);
    capture.ifPresent(PayloadCapture::close);
    tracing.close();
    backends.close();
    gpus.ifPresent(GpuMetrics::close);
    registry.close();
    logging.release();
  }

  /** With {@code --exit-on-error}: start-up fails when a model that should load did not. */
  private void failOnLoadErrors() {
    if (!options.exitOnError()) {
      return;
    }
    List<String> failures =
        manager.index().stream()
            .filter(status -> status.state() == ModelState.UNAVAILABLE)
            .map(
                status ->
                    "model '"
                        + status.model()
                        + "'"
                        + (status.version().isEmpty() ? "" : " version " + status.version())
                        + ": "
                        + status.reason())
            .toList();
    if (!failures.isEmpty()) {
      throw new StartupException(
          failures.size()
              + " model(s) failed to load and --exit-on-error is true: "
              + String.join("; ", failures));
    }
  }

  private ServerBuilder httpBuilder(RejectedRequests rejected) {
    ServerBuilder sb = baseBuilder();
    security.listen(sb, address(options.http()));
    new RestApi(
            engine, options.maxRequestBytes(), options.security().maxTensorElements(), sharedMemory)
        .withTracing(tracing)
        .mount(sb);
    new RepositoryApi(controller).mount(sb);
    new SharedMemoryApi(sharedMemory).mount(sb);
    new LoggingApi(logging).mount(sb);
    sb.decorator(bodyBudget);
    new TrafficApi(traffic).mount(sb);
    new DriftApi(Router.highestReady(manager::routingTable), drift).mount(sb);
    jobs.ifPresentOrElse(manager -> new JobsApi(manager).mount(sb), () -> JobsApi.mountOff(sb));
    security.protectHttp(sb);
    return sb.accessLogWriter(withAccessLog(rejected.restWriter()), false);
  }

  private ServerBuilder grpcBuilder(RejectedRequests rejected) {
    ServerBuilder sb = baseBuilder();
    security.listen(sb, address(options.grpc()));
    GrpcApi api =
        new GrpcApi(engine, options.maxRequestBytes(), controller, sharedMemory)
            .withTraffic(traffic)
            .withLogging(logging)
            .withTracing(tracing);
    // The message limit is exactly --max-request-bytes: the binding's body limit adds the frame.
    sb.service(api.service(security.grpcInterceptors()), api.requestSizeLimit());
    sb.errorHandler(api.errorHandler());
    sb.decorator(bodyBudget);
    sb.decorator(InferaServer::streamsOutliveTheRequestTimeout);
    security.protectGrpc(sb);
    // The standard health service, unauthenticated like /v2/health/*: Kubernetes gRPC probes
    // send no credentials. SERVING exactly when the server is ready.
    sb.service(
        GrpcService.builder()
            .addService(
                GrpcHealthCheckService.builder()
                    .checkers(health)
                    .serviceCheckers(GRPC_INFERENCE_SERVICE, health)
                    .build())
            .build());
    return sb.accessLogWriter(withAccessLog(rejected.grpcWriter()), false);
  }

  /** {@code writer}, followed by the access log when {@code --access-log} is on. */
  private AccessLogWriter withAccessLog(AccessLogWriter writer) {
    if (!accessLog) {
      return writer;
    }
    AccessLogWriter lines = AccessLog.writer();
    // The server's own warm-up requests are not a client's: no access log line.
    return writer.andThen(
        log -> {
          if (!WarmupPass.isWarmup(log.context())) {
            lines.log(log);
          }
        });
  }

  private ServerBuilder metricsBuilder() {
    // Plain HTTP and no authentication, for Prometheus scrapers (docs/security.md).
    ServerBuilder sb = baseBuilder().http(address(options.metrics()));
    sb.route()
        .get("/metrics")
        .defaultServiceName("metrics")
        .build(
            (ctx, req) ->
                HttpResponse.of(
                    HttpStatus.OK,
                    MediaType.parse("text/plain; version=0.0.4; charset=utf-8"),
                    registry.scrape()));
    return sb;
  }

  private static InetSocketAddress address(Endpoint endpoint) {
    return new InetSocketAddress(endpoint.address(), endpoint.port());
  }

  /** A builder with the settings every endpoint shares; the caller adds the port. */
  private ServerBuilder baseBuilder() {
    AsteriskOptions.apply();
    ServerBuilder sb = Server.builder();
    options.limits().apply(sb);
    return WriteCoalescing.apply(sb)
        // Armeria's own meters would go to Micrometer's global registry (and warn about the
        // executors the three endpoints share); the metrics endpoint exports Infera's meters only.
        .meterRegistry(new CompositeMeterRegistry())
        .maxRequestLength(options.maxRequestBytes())
        // Armeria would log, every 10 s, each exception a response carried that no logging
        // decorator saw, with its stack trace: a client's bad request (an unknown model's trace
        // setting, a declared body over the limit) too. The REST and gRPC edges log what a client
        // did not cause (ErrorResponses, KserveGrpcService), once.
        .unloggedExceptionsReportInterval(Duration.ZERO)
        .gracefulShutdownTimeout(Duration.ZERO, options.exitTimeout());
  }

  /** The Armeria configuration of an endpoint that is on, for tests of the shared settings. */
  ServerConfig endpointConfig(Endpoints.Kind kind) {
    return endpoints.server(kind).orElseThrow().config();
  }

  /**
   * gRPC's bidirectional ModelStreamInfer lives as long as its client keeps it: the request timeout
   * bounds unary calls only (each streamed message is still bounded by the message limit).
   */
  private static HttpResponse streamsOutliveTheRequestTimeout(
      HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    if (ctx.path().endsWith("/ModelStreamInfer")) {
      ctx.clearRequestTimeout();
    }
    return delegate.serve(ctx, req);
  }

  private void awaitUntil(CompletableFuture<?> step, long deadline, String what) {
    try {
      step.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      LOG.warn(
          "exit timeout of {} s passed with {} still pending ({} requests); stopping anyway",
          options.exitTimeout().toSeconds(),
          what,
          engine.inflightCount());
    } catch (ExecutionException e) {
      LOG.warn("shutdown: waiting for {} failed: {}", what, e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The version and commit this server was built from. */
  public BuildInfo build() {
    return build;
  }

  /**
   * @throws IllegalStateException when the endpoint is off
   */
  public int httpPort() {
    return endpoints.port(Endpoints.Kind.HTTP);
  }

  /**
   * @throws IllegalStateException when the endpoint is off
   */
  public int grpcPort() {
    return endpoints.port(Endpoints.Kind.GRPC);
  }

  /**
   * @throws IllegalStateException when the endpoint is off
   */
  public int metricsPort() {
    return endpoints.port(Endpoints.Kind.METRICS);
  }

  public ServingEngine engine() {
    return engine;
  }

  public ModelController controller() {
    return controller;
  }

  public ModelManager manager() {
    return manager;
  }

  /** The process's log settings, as the logging API changes them. */
  public LogControl logging() {
    return logging;
  }

  /**
   * Shuts down: readiness turns false and new requests are refused (503 / UNAVAILABLE) at once;
   * requests accepted before that get their answers, for up to the exit timeout; then the HTTP and
   * gRPC endpoints stop once the answers are written, and the models, backends and metrics endpoint
   * stop last. Requests still running when the exit timeout passes are abandoned.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + options.exitTimeout().toNanos();
    LOG.info(
        "shutting down: refusing new requests, finishing {} accepted ones (up to {} s)",
        engine.inflightCount(),
        options.exitTimeout().toSeconds());
    jobs.ifPresent(JobManager::close); // cancels jobs; their committed partitions stay
    engine.stopAccepting();
    health.refresh();
    healthRefresh.cancel(false);
    awaitUntil(engine.drained(), deadline, "accepted requests");
    // Stopping an Armeria endpoint takes about 2 s even when idle: stop the
    // three together.
    CompletableFuture<Void> metricsStopped = endpoints.stop(Endpoints.Kind.METRICS);
    awaitUntil(
        endpoints.stop(Endpoints.Kind.GRPC, Endpoints.Kind.HTTP),
        deadline,
        "responses being written");
    traffic.close();
    autoscale.close();
    controller.close();
    drift.ifPresent(DriftMonitoring::close);
    capture.ifPresent(PayloadCapture::close); // writes what is queued, for up to 5 s
    manager.close();
    tracing.close(); // exports the spans still queued, for up to 5 s
    metricsStopped.join();
    backends.close();
    gpus.ifPresent(GpuMetrics::close);
    registry.close();
    engine.markStopped();
    LOG.info("stopped");
    logging.release();
  }
}
