package dev.infera.server.security;

import com.linecorp.armeria.common.encoding.StreamDecoderFactory;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.encoding.DecodingService;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the assembly wires into the REST and gRPC endpoints: how they listen (plain or TLS), the
 * REST decorators and the gRPC interceptors. The metrics port is not protected: it listens in plain
 * text without authentication, for Prometheus scrapers (see docs/security.md).
 *
 * <p>REST, outermost first: the warm-up pass ({@link WarmupPass}), authentication ({@link
 * HttpAuthDecorator}, when an auth file is given), then the request guard (names, {@code
 * Content-Encoding}), then gzip/deflate decoding bounded by the route's request-size limit after
 * decompression. gRPC: the warm-up pass (an HTTP decorator), then the interceptors: authentication,
 * then the request guard.
 */
public final class Security {
  private static final Logger LOG = LoggerFactory.getLogger(Security.class);

  private final SecurityOptions options;
  private final Optional<Authenticator> authenticator;
  private final WarmupPass warmupPass = WarmupPass.create();

  private Security(SecurityOptions options, Optional<Authenticator> authenticator) {
    this.options = options;
    this.authenticator = authenticator;
  }

  /** The pass of the server's own warm-up requests (see {@link WarmupPass}). */
  public WarmupPass warmupPass() {
    return warmupPass;
  }

  /**
   * Reads the auth file, if any, and registers the refusal counter in {@code registry}.
   *
   * @throws AuthConfigException when the auth file cannot be used
   */
  public static Security from(SecurityOptions options, MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    Optional<Authenticator> authenticator =
        options
            .authConfig()
            .map(
                file -> {
                  ApiKeyStore keys = AuthConfigFile.read(file);
                  LOG.info(
                      "authentication on: {} API keys from {} ({})",
                      keys.keys().size(),
                      file,
                      keys.keys().stream().map(k -> k.name() + " " + k.roles()).toList());
                  return new Authenticator(keys, registry);
                });
    if (authenticator.isEmpty()) {
      LOG.info("authentication off (no --auth-config): every endpoint is open");
    }
    options.tls().ifPresent(tls -> LOG.info("TLS on the HTTP and gRPC ports: {}", tls));
    return new Security(options, authenticator);
  }

  /** Makes {@code sb} listen on {@code address}, with TLS when configured. */
  public void listen(ServerBuilder sb, InetSocketAddress address) {
    options.tls().ifPresentOrElse(tls -> tls.listen(sb, address), () -> sb.http(address));
  }

  /** Adds the REST decorators to every route of {@code sb}. Call after the routes are added. */
  public void protectHttp(ServerBuilder sb) {
    // Armeria runs server-wide decorators in reverse order of addition: the last is outermost.
    sb.decorator(
        DecodingService.newDecorator(StreamDecoderFactory.gzip(), StreamDecoderFactory.deflate()));
    sb.decorator(new HttpRequestGuard());
    authenticator.ifPresent(a -> sb.decorator(new HttpAuthDecorator(a)));
    sb.decorator(warmupPass.decorator()); // outermost: nothing behind it sees a forged mark
  }

  /**
   * Adds the gRPC endpoint's HTTP-level decorator (the warm-up pass, {@link WarmupPass}) to every
   * service of {@code sb}. Call after the services are added.
   */
  public void protectGrpc(ServerBuilder sb) {
    sb.decorator(warmupPass.decorator());
  }

  /**
   * The interceptors for the gRPC service, in the order grpc-java's {@code intercept} takes them
   * (the last one runs first): the request guard, then authentication.
   */
  public List<ServerInterceptor> grpcInterceptors() {
    List<ServerInterceptor> interceptors = new ArrayList<>();
    interceptors.add(new GrpcRequestGuard(options.maxTensorElements()));
    authenticator.ifPresent(a -> interceptors.add(new GrpcAuthInterceptor(a)));
    return List.copyOf(interceptors);
  }

  public boolean authenticationEnabled() {
    return authenticator.isPresent();
  }

  public long maxTensorElements() {
    return options.maxTensorElements();
  }
}
