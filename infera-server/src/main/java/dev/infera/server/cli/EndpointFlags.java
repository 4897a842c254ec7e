package dev.infera.server.cli;

import dev.infera.server.Endpoint;
import dev.infera.server.ServerOptions;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The flags of {@code infera serve} for its three endpoints, named and defaulted as Triton's: each
 * has its own address and port and can be turned off; the metrics address follows the HTTP address
 * unless set.
 */
final class EndpointFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--http-address",
      defaultValue = "0.0.0.0",
      paramLabel = "ADDRESS",
      description = "The address the REST endpoint listens on. Default: ${DEFAULT-VALUE}.")
  String httpAddress;

  @Option(
      names = "--http-port",
      defaultValue = "" + ServerOptions.DEFAULT_HTTP_PORT,
      paramLabel = "PORT",
      description = "The KServe v2 REST port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int httpPort;

  @Option(
      names = "--allow-http",
      defaultValue = "true",
      arity = "0..1",
      paramLabel = "BOOL",
      description = "Open the REST endpoint. Default: ${DEFAULT-VALUE}.")
  boolean allowHttp;

  @Option(
      names = "--grpc-address",
      defaultValue = "0.0.0.0",
      paramLabel = "ADDRESS",
      description = "The address the gRPC endpoint listens on. Default: ${DEFAULT-VALUE}.")
  String grpcAddress;

  @Option(
      names = "--grpc-port",
      defaultValue = "" + ServerOptions.DEFAULT_GRPC_PORT,
      paramLabel = "PORT",
      description = "The KServe v2 gRPC port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int grpcPort;

  @Option(
      names = "--allow-grpc",
      defaultValue = "true",
      arity = "0..1",
      paramLabel = "BOOL",
      description = "Open the gRPC endpoint. Default: ${DEFAULT-VALUE}.")
  boolean allowGrpc;

  @Option(
      names = "--metrics-address",
      paramLabel = "ADDRESS",
      description =
          "The address the metrics endpoint listens on, e.g. 127.0.0.1 to keep it internal. Default: the --http-address.")
  String metricsAddress;

  @Option(
      names = "--metrics-port",
      defaultValue = "" + ServerOptions.DEFAULT_METRICS_PORT,
      paramLabel = "PORT",
      description =
          "The Prometheus metrics port (/metrics); 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(
      names = "--allow-metrics",
      defaultValue = "true",
      arity = "0..1",
      paramLabel = "BOOL",
      description = "Open the metrics endpoint. Default: ${DEFAULT-VALUE}.")
  boolean allowMetrics;

  Endpoint http() {
    return endpoint("--http", allowHttp, httpAddress, httpPort);
  }

  Endpoint grpc() {
    return endpoint("--grpc", allowGrpc, grpcAddress, grpcPort);
  }

  Endpoint metrics() {
    return endpoint(
        "--metrics",
        allowMetrics,
        metricsAddress != null ? metricsAddress : httpAddress,
        metricsPort);
  }

  /**
   * What is wrong with the endpoints together, before anything listens: none left to serve
   * requests, an address that does not resolve, or two endpoints on one port of one address (port
   * 0, any free port, never clashes).
   */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!allowHttp && !allowGrpc) {
      problems.add(
          "--allow-http false and --allow-grpc false leave no endpoint to serve requests (expected at least one)");
    }
    List<Listener> listeners = new ArrayList<>();
    listen(problems, listeners, "--http", allowHttp, "--http-address", httpAddress, httpPort);
    listen(problems, listeners, "--grpc", allowGrpc, "--grpc-address", grpcAddress, grpcPort);
    boolean ownAddress = metricsAddress != null; // else the HTTP endpoint's, checked there
    listen(
        problems,
        listeners,
        "--metrics",
        allowMetrics,
        ownAddress ? "--metrics-address" : null,
        ownAddress ? metricsAddress : httpAddress,
        metricsPort);
    for (int i = 0; i < listeners.size(); i++) {
      for (int j = i + 1; j < listeners.size(); j++) {
        Listener a = listeners.get(i);
        Listener b = listeners.get(j);
        if (a.clashesWith(b)) {
          problems.add(
              a.prefix()
                  + "-port and "
                  + b.prefix()
                  + "-port are both "
                  + a.socket().getPort()
                  + " (each endpoint needs its own port)");
        }
      }
    }
    return problems;
  }

  /** An enabled endpoint on a fixed port, resolved. */
  private record Listener(String prefix, InetSocketAddress socket) {
    boolean clashesWith(Listener other) {
      return socket.getPort() == other.socket.getPort()
          && (socket.getAddress().isAnyLocalAddress()
              || other.socket.getAddress().isAnyLocalAddress()
              || socket.getAddress().equals(other.socket.getAddress()));
    }
  }

  /**
   * Resolves one enabled endpoint's address; {@code addressFlag} is null when the address is
   * another flag's (checked there).
   */
  private static void listen(
      List<String> problems,
      List<Listener> listeners,
      String prefix,
      boolean enabled,
      String addressFlag,
      String address,
      int port) {
    if (!enabled || address == null || address.isBlank() || port < 0 || port > 65535) {
      return; // off, or refused with its flag when the endpoint is made
    }
    InetSocketAddress socket = new InetSocketAddress(address, port);
    if (socket.isUnresolved()) {
      if (addressFlag != null) {
        problems.add(
            addressFlag
                + " "
                + address
                + ": cannot resolve it (expected an IP address or a host name of this machine)");
      }
      return;
    }
    if (port != 0) {
      listeners.add(new Listener(prefix, socket));
    }
  }

  private Endpoint endpoint(String prefix, boolean enabled, String address, int port) {
    try {
      return new Endpoint(enabled, address, port);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), prefix + "-port/-address: " + e.getMessage());
    }
  }
}
