package dev.infera.server.cli;

import dev.infera.server.Endpoint;
import dev.infera.server.ServerOptions;
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

  /** Checks what the endpoints need together. */
  void check() {
    if (!allowHttp && !allowGrpc) {
      throw new ParameterException(
          spec.commandLine(),
          "--allow-http false and --allow-grpc false leave no endpoint to serve requests (expected at least one)");
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
