package dev.infera.server.security;

import com.linecorp.armeria.server.ServerBuilder;
import java.time.Duration;
import java.util.Objects;

/**
 * What one client can hold on the server's HTTP and gRPC ports, each a flag of {@code infera serve}
 * (docs/security.md lists them with what happens beyond each):
 *
 * @param requestTimeout how long one request may take from its headers to its response's end
 *     ({@code --request-timeout-secs}); a body still arriving or an answer still computing then is
 *     cut off (REST 503, gRPC DEADLINE_EXCEEDED). Zero disables it. gRPC's bidirectional {@code
 *     ModelStreamInfer} is exempt: its stream lives as long as the client keeps it.
 * @param idleTimeout how long a connection may stay open without a request in progress ({@code
 *     --idle-timeout-secs}), which also bounds how long a client may take to send its headers
 * @param maxBufferedRequestBytes the bytes all unfinished request bodies may hold together ({@code
 *     --max-buffered-request-bytes}); a request that would go beyond is refused with 503
 * @param http2MaxStreams the concurrent streams one HTTP/2 connection may open ({@code
 *     --http2-max-concurrent-streams}); more are refused with RST_STREAM(REFUSED_STREAM)
 * @param maxConnections the connections one port accepts at once ({@code --max-connections}); more
 *     are closed at once
 * @param http1MaxHeaderBytes the largest HTTP/1 header section ({@code --http1-max-header-bytes});
 *     beyond: 431
 */
public record ConnectionLimits(
    Duration requestTimeout,
    Duration idleTimeout,
    long maxBufferedRequestBytes,
    long http2MaxStreams,
    int maxConnections,
    int http1MaxHeaderBytes) {
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final long DEFAULT_HTTP2_MAX_STREAMS = 128;
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;
  public static final int DEFAULT_HTTP1_MAX_HEADER_BYTES = 16 * 1024;

  public ConnectionLimits {
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (requestTimeout.isNegative() || idleTimeout.isNegative()) {
      throw new IllegalArgumentException("timeouts must be >= 0");
    }
    if (maxBufferedRequestBytes < 1 || http2MaxStreams < 1 || maxConnections < 1) {
      throw new IllegalArgumentException(
          "maxBufferedRequestBytes, http2MaxStreams and maxConnections must be > 0");
    }
    if (http1MaxHeaderBytes < 1024) {
      throw new IllegalArgumentException(
          "http1MaxHeaderBytes " + http1MaxHeaderBytes + " (expected >= 1024)");
    }
  }

  /**
   * The default buffered-bytes cap: a quarter of the maximum heap, and at least one request of
   * {@code maxRequestBytes} beside the reserve kept for small bodies (at most an eighth of the cap,
   * see {@link RequestBodyBudget}), so a single largest request always fits.
   */
  public static long defaultMaxBufferedRequestBytes(long maxRequestBytes) {
    return Math.max(
        maxRequestBytes + maxRequestBytes / 7 + 1, Runtime.getRuntime().maxMemory() / 4);
  }

  /** The defaults, with the buffered-bytes cap sized for {@code maxRequestBytes}. */
  public static ConnectionLimits defaults(long maxRequestBytes) {
    return new ConnectionLimits(
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        defaultMaxBufferedRequestBytes(maxRequestBytes),
        DEFAULT_HTTP2_MAX_STREAMS,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_HTTP1_MAX_HEADER_BYTES);
  }

  /** Sets the connection-level limits on an endpoint's builder. */
  public void apply(ServerBuilder sb) {
    sb.requestTimeout(requestTimeout)
        .idleTimeout(idleTimeout)
        .http2MaxStreamsPerConnection(http2MaxStreams)
        .maxNumConnections(maxConnections)
        .http1MaxHeaderSize(http1MaxHeaderBytes);
  }

  public ConnectionLimits withRequestTimeout(Duration other) {
    return new ConnectionLimits(
        other,
        idleTimeout,
        maxBufferedRequestBytes,
        http2MaxStreams,
        maxConnections,
        http1MaxHeaderBytes);
  }

  public ConnectionLimits withIdleTimeout(Duration other) {
    return new ConnectionLimits(
        requestTimeout,
        other,
        maxBufferedRequestBytes,
        http2MaxStreams,
        maxConnections,
        http1MaxHeaderBytes);
  }

  public ConnectionLimits withMaxBufferedRequestBytes(long other) {
    return new ConnectionLimits(
        requestTimeout, idleTimeout, other, http2MaxStreams, maxConnections, http1MaxHeaderBytes);
  }

  public ConnectionLimits withHttp2MaxStreams(long other) {
    return new ConnectionLimits(
        requestTimeout,
        idleTimeout,
        maxBufferedRequestBytes,
        other,
        maxConnections,
        http1MaxHeaderBytes);
  }
}
