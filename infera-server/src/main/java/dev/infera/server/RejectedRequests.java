package dev.infera.server;

import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.logging.AccessLogWriter;
import dev.infera.core.InferenceRequest;
import dev.infera.server.security.WarmupPass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.AttributeKey;
import java.util.Set;

/**
 * Counts the requests of the KServe APIs answered with an error before they reached a model
 * version, as {@code infera_requests_rejected_total{protocol,code}}: malformed or oversized bodies,
 * unknown models or routes, refused authentication, a server shutting down. {@code code} is the
 * HTTP status for REST and the gRPC status name for gRPC. A request that reached a version and
 * failed there is counted by that version's {@code infera_inference_request_failure_total} instead;
 * health and readiness probes are not counted.
 *
 * <p>How: the engine marks the request's context once a version accepted it ({@link #routed}, on
 * the thread calling the engine, where the frontend's request context is current), and each
 * endpoint's access log writer ({@link #writer}) sees every request once it is complete, whichever
 * decorator answered it. Thread-safe: Micrometer's counters.
 */
final class RejectedRequests {
  static final String METRIC = "infera.requests.rejected";
  private static final AttributeKey<Boolean> ROUTED =
      AttributeKey.valueOf(RejectedRequests.class, "routed");
  private static final Set<String> GRPC_PROBES =
      Set.of(
          "inference.GRPCInferenceService/ServerLive",
          "inference.GRPCInferenceService/ServerReady",
          "inference.GRPCInferenceService/ModelReady",
          "grpc.health.v1.Health/Check",
          "grpc.health.v1.Health/Watch");

  private final MeterRegistry registry;

  RejectedRequests(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The engine's hook: the request on this thread reached a model version. */
  static void routed(InferenceRequest request) {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    if (ctx != null) {
      ctx.setAttr(ROUTED, Boolean.TRUE);
    }
  }

  /** The access log writer of the REST endpoint. */
  AccessLogWriter restWriter() {
    return log -> {
      String path = log.context().path();
      if (isRestProbe(path) || routed(log) || WarmupPass.isWarmup(log.context())) {
        return;
      }
      HttpStatus status = log.responseHeaders().status();
      if (status.isClientError() || status.isServerError()) {
        count("http", Integer.toString(status.code()));
      }
    };
  }

  /** The access log writer of the gRPC endpoint. */
  AccessLogWriter grpcWriter() {
    return log -> {
      String path = log.context().path();
      String method = path.startsWith("/") ? path.substring(1) : path;
      if (GRPC_PROBES.contains(method) || routed(log) || WarmupPass.isWarmup(log.context())) {
        return;
      }
      String status = grpcStatus(log);
      if (!status.equals("OK")) {
        count("grpc", status);
      }
    };
  }

  private static boolean routed(RequestLog log) {
    return Boolean.TRUE.equals(log.context().attr(ROUTED));
  }

  private static boolean isRestProbe(String path) {
    return path.startsWith("/v2/health/") || path.endsWith("/ready");
  }

  /** The gRPC status name from the trailers (or the headers of a trailers-only answer). */
  private static String grpcStatus(RequestLog log) {
    String code = log.responseTrailers().get("grpc-status");
    if (code == null) {
      code = log.responseHeaders().get("grpc-status");
    }
    if (code == null) {
      HttpStatus status = log.responseHeaders().status();
      return status.isSuccess() ? "OK" : "HTTP_" + status.code();
    }
    try {
      return io.grpc.Status.fromCodeValue(Integer.parseInt(code)).getCode().name();
    } catch (NumberFormatException e) {
      return "UNKNOWN";
    }
  }

  private void count(String protocol, String code) {
    Counter.builder(METRIC)
        .description(
            "Requests answered with an error before reaching a model version, by protocol and status")
        .tag("protocol", protocol)
        .tag("code", code)
        .register(registry)
        .increment();
  }
}
