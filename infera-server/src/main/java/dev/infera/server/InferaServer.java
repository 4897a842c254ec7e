package dev.infera.server;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
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
import dev.infera.server.extension.SharedMemoryRegistry;
import dev.infera.server.gpu.GpuMetrics;
import dev.infera.server.grpc.GrpcApi;
import dev.infera.server.observability.DriftApi;
import dev.infera.server.observability.ObservabilityOptions;
import dev.infera.server.observability.ProfileFiles;
import dev.infera.server.rest.RepositoryApi;
import dev.infera.server.rest.RestApi;
import dev.infera.server.rest.SharedMemoryApi;
import dev.infera.server.rest.TrafficApi;
import dev.infera.server.security.RequestBodyBudget;
import dev.infera.server.security.Security;
import dev.infera.server.state.JsonFileStore;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Infera process: the model manager and engine, and three endpoints (KServe v2 REST, KServe v2
 * gRPC, Prometheus metrics), each on its own port. Models load before the endpoints open, as Triton
 * does. {@link #close} refuses new requests at once, lets accepted ones finish within the exit
 * timeout, then stops endpoints, models and backends in reverse start order.
 */
public final class InferaServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferaServer.class);
  private static final String SERVER_NAME = "infera";
  private static final List<String> EXTENSIONS =
      List.of("binary_tensor_data", "statistics", "model_configuration", "system_shared_memory");

  /** How often running rollouts are checked for a due step. */
  private static final Duration JUDGE_TICK = Duration.ofMillis(200);

  /** Shadow copies in flight at most; more are dropped and counted. */
  private static final int SHADOW_LIMIT = 64;

  private final ServerOptions options;
  private final PrometheusMeterRegistry registry;
  private final Security security;
  private final BackendRegistry backends;
  private final ModelManager manager;
  private final ModelController controller;
  private final AutoscaleSignals autoscale;
  private final TrafficManager traffic;
  private final ServingEngine engine;
  private final Optional<DriftMonitoring> drift;
  private final RequestBodyBudget bodyBudget;
  private final Server http;
  private final Server grpc;
  private final Server metrics;
  private final SharedMemoryRegistry sharedMemory =
      new SharedMemoryRegistry(SharedMemoryRegistry.DEV_SHM);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Optional<GpuMetrics> gpus;

  private InferaServer(
      ServerOptions options, ObservabilityOptions observability, ModelRepository repository) {
    this.options = options;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    bindJvmMetrics(registry);
    this.gpus = GpuMetrics.start(registry, Duration.ofSeconds(2));
    this.security = Security.from(options.security(), registry);
    this.backends = BackendRegistry.discover();
    backends.configure(Map.of(), new MicrometerBackendMeters(registry));
    LOG.info(
        "backends: {}",
        backends.backends().stream().map(b -> b.name() + " " + b.aliases()).toList());
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
                    options.cache().map(settings -> new ResponseCache(settings, registry)))),
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
    this.traffic =
        new TrafficManager(
            manager::routingTable,
            options.stateDir().<RoutingStore>map(JsonFileStore::new).orElse(RoutingStore.NONE),
            Clock.systemUTC(),
            registry);
    this.engine =
        new ServingEngine(
            new Router(manager::routingTable, traffic::routerFor),
            manager::allReady,
            new ServerMetadata(SERVER_NAME, version(), EXTENSIONS),
            System::nanoTime,
            InferenceObserver.all(drift.<List<InferenceObserver>>map(List::of).orElse(List.of())),
            traffic,
            SHADOW_LIMIT);
    this.autoscale = new AutoscaleSignals(manager, registry, options.autoscale(), Ticker.system());
    autoscale.start();
    this.bodyBudget = new RequestBodyBudget(options.limits().maxBufferedRequestBytes(), registry);
    this.controller = new ModelController(manager, options.manager().control());
    controller.start();
    traffic.start(JUDGE_TICK);
    this.http = startHttp();
    this.grpc = startGrpc();
    this.metrics = startMetrics();
  }

  /** Starts a server: loads the repository's models, then opens the endpoints. */
  public static InferaServer start(ServerOptions options) {
    return start(options, ObservabilityOptions.NONE);
  }

  /** Starts a server that also watches what {@code observability} asks for. */
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
    LOG.info(
        "starting with {} and {} on model repository {}",
        options,
        observability,
        repository.location());
    return new InferaServer(options, observability, repository);
  }

  private Set<String> readyVersionKeys() {
    return manager.index().stream()
        .filter(status -> status.state() == ModelState.READY)
        .map(status -> DriftMonitoring.key(status.model(), status.version()))
        .collect(Collectors.toSet());
  }

  private Server startHttp() {
    ServerBuilder sb = baseBuilder();
    security.listen(sb, address(options.httpPort()));
    sb.decorator(bodyBudget);
    new RestApi(
            engine, options.maxRequestBytes(), options.security().maxTensorElements(), sharedMemory)
        .mount(sb);
    new RepositoryApi(controller).mount(sb);
    new SharedMemoryApi(sharedMemory).mount(sb);
    new DriftApi(Router.highestReady(manager::routingTable), drift).mount(sb);
    new TrafficApi(traffic).mount(sb);
    security.protectHttp(sb);
    return started(sb, "HTTP");
  }

  private Server startGrpc() {
    ServerBuilder sb = baseBuilder();
    security.listen(sb, address(options.grpcPort()));
    GrpcApi api = new GrpcApi(engine, options.maxRequestBytes(), controller, sharedMemory);
    // The message limit is exactly --max-request-bytes: the binding's body limit adds the frame.
    sb.service(api.service(security.grpcInterceptors()), api.requestSizeLimit());
    sb.decorator(bodyBudget);
    sb.decorator(InferaServer::streamsOutliveTheRequestTimeout);
    return started(sb, "gRPC");
  }

  private Server startMetrics() {
    // Plain HTTP and no authentication, for Prometheus scrapers (docs/security.md).
    ServerBuilder sb = baseBuilder().http(address(options.metricsPort()));
    sb.route()
        .get("/metrics")
        .defaultServiceName("metrics")
        .build(
            (ctx, req) ->
                HttpResponse.of(
                    HttpStatus.OK,
                    MediaType.parse("text/plain; version=0.0.4; charset=utf-8"),
                    registry.scrape()));
    return started(sb, "metrics");
  }

  private InetSocketAddress address(int port) {
    return new InetSocketAddress(options.address(), port);
  }

  /** A builder with the settings every endpoint shares; the caller adds the port. */
  private ServerBuilder baseBuilder() {
    ServerBuilder sb = Server.builder();
    options.limits().apply(sb);
    return sb
        // Armeria's own meters would go to Micrometer's global registry (and warn about the
        // executors the three endpoints share); the metrics endpoint exports Infera's meters only.
        .meterRegistry(new CompositeMeterRegistry())
        .maxRequestLength(options.maxRequestBytes())
        .gracefulShutdownTimeout(Duration.ZERO, options.exitTimeout());
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

  private static Server started(ServerBuilder sb, String what) {
    Server server = sb.build();
    server.start().join();
    LOG.info("{} endpoint listening on port {}", what, server.activeLocalPort());
    return server;
  }

  private static void bindJvmMetrics(PrometheusMeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
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

  private static String version() {
    String version = InferaServer.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }

  public int httpPort() {
    return http.activeLocalPort();
  }

  public int grpcPort() {
    return grpc.activeLocalPort();
  }

  public int metricsPort() {
    return metrics.activeLocalPort();
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
    engine.stopAccepting();
    awaitUntil(engine.drained(), deadline, "accepted requests");
    // Stopping an Armeria endpoint takes about 2 s even when idle: stop the
    // three together.
    CompletableFuture<Void> metricsStopped = metrics.stop();
    awaitUntil(
        CompletableFuture.allOf(grpc.stop(), http.stop()), deadline, "responses being written");
    autoscale.close();
    controller.close();
    traffic.close();
    drift.ifPresent(DriftMonitoring::close);
    manager.close();
    metricsStopped.join();
    backends.close();
    gpus.ifPresent(GpuMetrics::close);
    registry.close();
    engine.markStopped();
    LOG.info("stopped");
  }
}
