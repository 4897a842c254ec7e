package dev.infera.server;

import dev.infera.core.autoscale.AutoscaleSettings;
import dev.infera.core.cache.CacheSettings;
import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.server.logging.LogSettings;
import dev.infera.server.security.ConnectionLimits;
import dev.infera.server.security.SecurityOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything {@link InferaServer} is started with. Port 0 picks a free port.
 *
 * @param modelRepository the model repository folder
 * @param http the KServe v2 REST endpoint (Triton's default port 8000)
 * @param grpc the KServe v2 gRPC endpoint (8001)
 * @param metrics the Prometheus metrics endpoint (8002)
 * @param manager model loading settings
 * @param exitTimeout how long shutdown waits for accepted requests
 * @param maxRequestBytes the largest request body accepted, in bytes (after gzip/deflate decoding)
 * @param security authentication, TLS and the per-tensor element limit
 * @param cache the server-wide response cache ({@code --cache-config}); empty for none
 * @param serverId the name {@code GET /v2} and gRPC {@code ServerMetadata} answer (Triton's {@code
 *     --id})
 * @param exitOnError whether start-up fails when a model fails to load (Triton's {@code
 *     --exit-on-error})
 * @param logging what is logged and where ({@code --log-*} flags); the logging API changes it later
 * @param autoscale how the desired-replicas gauges are computed ({@code --autoscale-target-p99-ms})
 * @param limits timeouts and what one client can hold on the HTTP and gRPC ports
 * @param stateDir where traffic policies, rollouts and their history are kept ({@code
 *     --state-dir}); empty keeps them in memory only
 * @param warmup the server warm-up before readiness ({@code --warmup}, {@code --warmup-secs});
 *     {@link WarmupSettings#OFF} in {@link #onFreePorts}, on in {@code infera serve}
 */
public record ServerOptions(
    Path modelRepository,
    Endpoint http,
    Endpoint grpc,
    Endpoint metrics,
    ManagerOptions manager,
    Duration exitTimeout,
    long maxRequestBytes,
    SecurityOptions security,
    Optional<CacheSettings> cache,
    String serverId,
    boolean exitOnError,
    LogSettings logging,
    AutoscaleSettings autoscale,
    ConnectionLimits limits,
    Optional<Path> stateDir,
    WarmupSettings warmup) {
  public static final int DEFAULT_HTTP_PORT = 8000;
  public static final int DEFAULT_GRPC_PORT = 8001;
  public static final int DEFAULT_METRICS_PORT = 8002;
  public static final Duration DEFAULT_EXIT_TIMEOUT = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_REQUEST_BYTES = 64L * 1024 * 1024;
  public static final String DEFAULT_SERVER_ID = "infera";

  public ServerOptions {
    Objects.requireNonNull(modelRepository, "modelRepository");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(grpc, "grpc");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(exitTimeout, "exitTimeout");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(logging, "logging");
    Objects.requireNonNull(autoscale, "autoscale");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(warmup, "warmup");
    if (!http.enabled() && !grpc.enabled()) {
      throw new IllegalArgumentException(
          "both the HTTP and the gRPC endpoint are off (expected at least one to serve requests)");
    }
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxRequestBytes " + maxRequestBytes + " (expected > 0)");
    }
    if (serverId.isBlank()) {
      throw new IllegalArgumentException("server id is empty (expected a name)");
    }
  }

  /** Options for a server on free loopback ports, as tests start it. */
  public static ServerOptions onFreePorts(Path modelRepository) {
    return new ServerOptions(
        modelRepository,
        Endpoint.on("127.0.0.1", 0),
        Endpoint.on("127.0.0.1", 0),
        Endpoint.on("127.0.0.1", 0),
        ManagerOptions.defaults(),
        DEFAULT_EXIT_TIMEOUT,
        DEFAULT_MAX_REQUEST_BYTES,
        SecurityOptions.none(),
        Optional.empty(),
        DEFAULT_SERVER_ID,
        false,
        LogSettings.defaults(),
        AutoscaleSettings.DEFAULTS,
        ConnectionLimits.defaults(DEFAULT_MAX_REQUEST_BYTES),
        Optional.empty(),
        WarmupSettings.OFF);
  }

  /** These options with other endpoints. */
  public ServerOptions withEndpoints(
      Endpoint httpOther, Endpoint grpcOther, Endpoint metricsOther) {
    return change(
        b -> {
          b.http = httpOther;
          b.grpc = grpcOther;
          b.metrics = metricsOther;
        });
  }

  /** These options with other model loading and control settings. */
  public ServerOptions withManager(ManagerOptions other) {
    return change(b -> b.manager = other);
  }

  /** These options with other security settings. */
  public ServerOptions withSecurity(SecurityOptions other) {
    return change(b -> b.security = other);
  }

  /** These options with another request body limit. */
  public ServerOptions withMaxRequestBytes(long other) {
    return change(b -> b.maxRequestBytes = other);
  }

  /** These options with a response cache, or none. */
  public ServerOptions withCache(Optional<CacheSettings> other) {
    return change(b -> b.cache = other);
  }

  /** These options with another exit timeout. */
  public ServerOptions withExitTimeout(Duration other) {
    return change(b -> b.exitTimeout = other);
  }

  /** These options with another server id and exit-on-error setting. */
  public ServerOptions withIdentity(String id, boolean exitOnLoadError) {
    return change(
        b -> {
          b.serverId = id;
          b.exitOnError = exitOnLoadError;
        });
  }

  /** These options with other log settings. */
  public ServerOptions withLogging(LogSettings other) {
    return change(b -> b.logging = other);
  }

  /** These options with other autoscaling signal settings. */
  public ServerOptions withAutoscale(AutoscaleSettings other) {
    return change(b -> b.autoscale = other);
  }

  /** These options with other connection limits. */
  public ServerOptions withLimits(ConnectionLimits other) {
    return change(b -> b.limits = other);
  }

  /** These options with traffic state kept under {@code dir}. */
  public ServerOptions withStateDir(Path dir) {
    return change(b -> b.stateDir = Optional.of(dir));
  }

  /** These options with another server warm-up. */
  public ServerOptions withWarmup(WarmupSettings other) {
    return change(b -> b.warmup = other);
  }

  /** A copy with what {@code edit} changes; the constructor validates the result. */
  private ServerOptions change(Consumer<Copy> edit) {
    Copy copy = new Copy(this);
    edit.accept(copy);
    return copy.build();
  }

  /** The components of a copy while one is changed. */
  private static final class Copy {
    Path modelRepository;
    Endpoint http;
    Endpoint grpc;
    Endpoint metrics;
    ManagerOptions manager;
    Duration exitTimeout;
    long maxRequestBytes;
    SecurityOptions security;
    Optional<CacheSettings> cache;
    String serverId;
    boolean exitOnError;
    LogSettings logging;
    AutoscaleSettings autoscale;
    ConnectionLimits limits;
    Optional<Path> stateDir;
    WarmupSettings warmup;

    Copy(ServerOptions o) {
      modelRepository = o.modelRepository;
      http = o.http;
      grpc = o.grpc;
      metrics = o.metrics;
      manager = o.manager;
      exitTimeout = o.exitTimeout;
      maxRequestBytes = o.maxRequestBytes;
      security = o.security;
      cache = o.cache;
      serverId = o.serverId;
      exitOnError = o.exitOnError;
      logging = o.logging;
      autoscale = o.autoscale;
      limits = o.limits;
      stateDir = o.stateDir;
      warmup = o.warmup;
    }

    ServerOptions build() {
      return new ServerOptions(
          modelRepository,
          http,
          grpc,
          metrics,
          manager,
          exitTimeout,
          maxRequestBytes,
          security,
          cache,
          serverId,
          exitOnError,
          logging,
          autoscale,
          limits,
          stateDir,
          warmup);
    }
  }
}
