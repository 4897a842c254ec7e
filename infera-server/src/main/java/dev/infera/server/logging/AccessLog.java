package dev.infera.server.logging;

import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.logging.AccessLogWriter;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log ({@code --access-log}): one INFO line per request on the REST and gRPC endpoints,
 * to the logger {@value #LOGGER} through the server's logging (text or JSON, file or standard
 * output), with the request's ids in the MDC ({@link RequestLogContext}) and its fields as
 * key-value pairs (JSON lines carry them under {@code kvpList}): {@code method}, {@code path},
 * {@code status} (HTTP status, or the gRPC status code for gRPC), {@code duration_ms}, {@code
 * request_bytes}, {@code response_bytes}, {@code remote}.
 */
public final class AccessLog {
  public static final String LOGGER = "dev.infera.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private AccessLog() {}

  /** The writer Armeria calls once each request's log is complete. */
  public static AccessLogWriter writer() {
    return AccessLog::write;
  }

  private static void write(RequestLog log) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    String grpcStatus = log.responseTrailers().get("grpc-status");
    if (grpcStatus == null) {
      grpcStatus = log.responseHeaders().get("grpc-status");
    }
    String status =
        grpcStatus != null
            ? "grpc-" + grpcStatus
            : Integer.toString(log.responseHeaders().status().code());
    long durationMs = TimeUnit.NANOSECONDS.toMillis(log.totalDurationNanos());
    String method = log.requestHeaders().method().name();
    String path = log.context().path();
    try (RequestLogContext.Scope ignored = RequestLogContext.mdc(log.context())) {
      LOG.atInfo()
          .addKeyValue("method", method)
          .addKeyValue("path", path)
          .addKeyValue("status", status)
          .addKeyValue("duration_ms", durationMs)
          .addKeyValue("request_bytes", log.requestLength())
          .addKeyValue("response_bytes", log.responseLength())
          .addKeyValue("remote", log.context().remoteAddress().getAddress().getHostAddress())
          .log("{} {} {} {} ms", method, path, status, durationMs);
    }
  }
}
