package dev.infera.server;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.net.BindException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening endpoints of one server. {@link #open} binds every enabled endpoint at once and
 * either returns with all of them accepting connections or fails with a message naming the
 * endpoint, its address and port, and the flag that sets it, having closed the ones that did bind.
 *
 * <p>Thread-safe after {@link #open} returns: the map of servers never changes.
 */
final class Endpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

  /** The kinds of endpoint, with the flags that set them (Triton's names). */
  enum Kind {
    HTTP("HTTP", "--http-port", "--http-address", "--allow-http"),
    GRPC("gRPC", "--grpc-port", "--grpc-address", "--allow-grpc"),
    METRICS("metrics", "--metrics-port", "--metrics-address", "--allow-metrics");

    final String label;
    final String portFlag;
    final String addressFlag;
    final String allowFlag;

    Kind(String label, String portFlag, String addressFlag, String allowFlag) {
      this.label = label;
      this.portFlag = portFlag;
      this.addressFlag = addressFlag;
      this.allowFlag = allowFlag;
    }
  }

  private final Map<Kind, Server> servers;

  private Endpoints(Map<Kind, Server> servers) {
    this.servers = servers;
  }

  /**
   * Builds and starts every enabled endpoint together.
   *
   * @param wanted each endpoint's settings
   * @param builders makes the builder of an endpoint's services, already listening on its address
   * @throws StartupException when one cannot listen; none is left open then
   */
  static Endpoints open(Map<Kind, Endpoint> wanted, Function<Kind, ServerBuilder> builders) {
    Map<Kind, Server> servers = new EnumMap<>(Kind.class);
    Map<Kind, CompletableFuture<Void>> starts = new EnumMap<>(Kind.class);
    try {
      wanted.forEach(
          (kind, endpoint) -> {
            if (endpoint.enabled()) {
              Server server = builders.apply(kind).build();
              servers.put(kind, server);
              starts.put(kind, server.start());
            }
          });
    } catch (RuntimeException e) {
      new Endpoints(servers).stop().join(); // an endpoint that would not build: none left open
      throw e;
    }
    List<String> failures = new ArrayList<>();
    starts.forEach(
        (kind, start) -> {
          try {
            start.join();
          } catch (CompletionException e) {
            failures.add(describe(kind, wanted.get(kind), e.getCause()));
          }
        });
    Endpoints endpoints = new Endpoints(servers);
    if (!failures.isEmpty()) {
      endpoints.stop().join();
      throw new StartupException(String.join("; ", failures));
    }
    servers.forEach(
        (kind, server) ->
            LOG.info(
                "{} endpoint listening on {}:{}",
                kind.label,
                wanted.get(kind).address(),
                server.activeLocalPort()));
    return endpoints;
  }

  private static String describe(Kind kind, Endpoint endpoint, Throwable cause) {
    String where = endpoint.address() + ":" + endpoint.port();
    String why = isAddressInUse(cause) ? "the port is already in use" : reason(cause);
    return "the "
        + kind.label
        + " endpoint cannot listen on "
        + where
        + ": "
        + why
        + " (set another with "
        + kind.portFlag
        + " or "
        + kind.addressFlag
        + ", or turn it off with "
        + kind.allowFlag
        + " false)";
  }

  private static boolean isAddressInUse(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof BindException || message.contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  /** The innermost message, which names the problem without the library's class names. */
  private static String reason(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : "cannot bind";
  }

  /** The endpoint of that kind, when it is on. */
  Optional<Server> server(Kind kind) {
    return Optional.ofNullable(servers.get(kind));
  }

  /** The port an endpoint listens on. */
  int port(Kind kind) {
    Server server = servers.get(kind);
    if (server == null) {
      throw new IllegalStateException(
          "the " + kind.label + " endpoint is off (" + kind.allowFlag + " false)");
    }
    return server.activeLocalPort();
  }

  /** Stops the endpoints of the given kinds together; completes once all are stopped. */
  CompletableFuture<Void> stop(Kind... kinds) {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (Kind kind : kinds.length == 0 ? Kind.values() : kinds) {
      Server server = servers.get(kind);
      if (server != null) {
        stops.add(server.stop());
      }
    }
    return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
  }
}
