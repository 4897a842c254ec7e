package dev.infera.server;

import dev.infera.core.autoscale.AutoscaleSettings;
import dev.infera.core.cache.CacheSettings;
import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.server.security.ConnectionLimits;
import dev.infera.server.security.SecurityOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link InferaServer} is started with. Port 0 picks a free port.
 *
 * @param modelRepository the model repository folder
 * @param address the address every endpoint listens on
 * @param httpPort the KServe v2 REST port (Triton's default 8000)
 * @param grpcPort the KServe v2 gRPC port (8001)
 * @param metricsPort the Prometheus metrics port (8002)
 * @param manager model loading settings
 * @param exitTimeout how long shutdown waits for accepted requests
 * @param maxRequestBytes the largest request body accepted, in bytes (after gzip/deflate decoding)
 * @param security authentication, TLS and the per-tensor element limit
 * @param cache the server-wide response cache ({@code --cache-config}); empty for none
 * @param autoscale how the desired-replicas gauges are computed ({@code --autoscale-target-p99-ms})
 * @param limits timeouts and what one client can hold on the HTTP and gRPC ports
 * @param stateDir where traffic policies, rollouts and their history are kept ({@code
 *     --state-dir}); empty keeps them in memory only
 */
public record ServerOptions(
    Path modelRepository,
    String address,
    int httpPort,
    int grpcPort,
    int metricsPort,
    ManagerOptions manager,
    Duration exitTimeout,
    long maxRequestBytes,
    SecurityOptions security,
    Optional<CacheSettings> cache,
    AutoscaleSettings autoscale,
    ConnectionLimits limits,
    Optional<Path> stateDir) {
  public static final int DEFAULT_HTTP_PORT = 8000;
  public static final int DEFAULT_GRPC_PORT = 8001;
  public static final int DEFAULT_METRICS_PORT = 8002;
  public static final Duration DEFAULT_EXIT_TIMEOUT = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_REQUEST_BYTES = 64L * 1024 * 1024;

  public ServerOptions {
    Objects.requireNonNull(modelRepository, "modelRepository");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(exitTimeout, "exitTimeout");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(autoscale, "autoscale");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(stateDir, "stateDir");
    for (int port : new int[] {httpPort, grpcPort, metricsPort}) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " (expected 0 to 65535)");
      }
    }
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxRequestBytes " + maxRequestBytes + " (expected > 0)");
    }
  }

  /** Options with the default autoscaling signal settings. */
  public ServerOptions(
      Path modelRepository,
      String address,
      int httpPort,
      int grpcPort,
      int metricsPort,
      ManagerOptions manager,
      Duration exitTimeout,
      long maxRequestBytes,
      SecurityOptions security,
      Optional<CacheSettings> cache) {
    this(
        modelRepository,
        address,
        httpPort,
        grpcPort,
        metricsPort,
        manager,
        exitTimeout,
        maxRequestBytes,
        security,
        cache,
        AutoscaleSettings.DEFAULTS,
        ConnectionLimits.defaults(maxRequestBytes),
        Optional.empty());
  }

  /** Options without a response cache. */
  public ServerOptions(
      Path modelRepository,
      String address,
      int httpPort,
      int grpcPort,
      int metricsPort,
      ManagerOptions manager,
      Duration exitTimeout,
      long maxRequestBytes,
      SecurityOptions security) {
    this(
        modelRepository,
        address,
        httpPort,
        grpcPort,
        metricsPort,
        manager,
        exitTimeout,
        maxRequestBytes,
        security,
        Optional.empty());
  }

  /** Options for a server on free loopback ports, as tests start it. */
  public static ServerOptions onFreePorts(Path modelRepository) {
    return new ServerOptions(
        modelRepository,
        "127.0.0.1",
        0,
        0,
        0,
        ManagerOptions.defaults(),
        DEFAULT_EXIT_TIMEOUT,
        DEFAULT_MAX_REQUEST_BYTES,
        SecurityOptions.none());
  }

  /** These options with other model loading and control settings. */
  public ServerOptions withManager(ManagerOptions other) {
    return new ServerOptions(
        modelRepository,
        address,
        httpPort,
        grpcPort,
        metricsPort,
        other,
        exitTimeout,
        maxRequestBytes,
        security,
        cache,
        autoscale,
        limits,
        stateDir);
  }

  /** These options with other security settings. */
  public ServerOptions withSecurity(SecurityOptions other) {
    return new ServerOptions(
        modelRepository,
        address,
        httpPort,
        grpcPort,
        metricsPort,
        manager,
        exitTimeout,
        maxRequestBytes,
        other,
        cache,
        autoscale,
        limits,
        stateDir);
  }

  /** These options with a response cache, or none. */
  public ServerOptions withCache(Optional<CacheSettings> other) {
    return new ServerOptions(
        modelRepository,
        address,
        httpPort,
        grpcPort,
        metricsPort,
        manager,
        exitTimeout,
        maxRequestBytes,
        security,
        other,
        autoscale,
        limits,
        stateDir);
  }

  /** These options with another exit timeout. */
  public ServerOptions withExitTimeout(Duration other) {
    return new ServerOptions(
        modelRepository,
        address,
        httpPort,
        grpcPort,
        metricsPort,
        manager,
        other,
        maxRequestBytes,
        security,
        cache,
        autoscale,
        limits,
        stateDir);
  }

  /** These options with other autoscaling signal settings. */
  public ServerOptions withAutoscale(AutoscaleSettings other) {
    return new ServerOptions(
        modelRepository,
        address,
        httpPort,
        grpcPort,
        metricsPort,
        manager,
        exitTimeout,
        maxRequestBytes,
        security,
        cache,
        other,
        limits,
        stateDir);
  }

  /** These options with other connection limits. */
  public ServerOptions withLimits(ConnectionLimits other) {
    return new ServerOptions(
        modelRepository,
        address,
        httpPort,
        grpcPort,
        metricsPort,
        manager,
        exitTimeout,
        maxRequestBytes,
        security,
        cache,
        autoscale,
        other,
        stateDir);
  }

  /** These options with traffic state kept under {@code dir}. */
  public ServerOptions withStateDir(Path dir) {
    return new ServerOptions(
        modelRepository,
        address,
        httpPort,
        grpcPort,
        metricsPort,
        manager,
        exitTimeout,
        maxRequestBytes,
        security,
        cache,
        autoscale,
        limits,
        Optional.of(dir));
  }
}
