package dev.infera.server.cli;

import dev.infera.server.security.ConnectionLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The flags of {@code infera serve} for timeouts and what one client can hold. */
final class LimitFlags {
  @Option(
      names = "--request-timeout-secs",
      defaultValue = "60",
      paramLabel = "SECONDS",
      description =
          "How long one request may take from its headers to the end of its response; a body still arriving or an answer still computing is then cut off (HTTP 503 / gRPC DEADLINE_EXCEEDED). 0 disables it. gRPC ModelStreamInfer streams are exempt. Default: ${DEFAULT-VALUE}.")
  long requestTimeoutSeconds;

  @Option(
      names = "--idle-timeout-secs",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description =
          "How long a connection may stay open with no request in progress (this also bounds how long a client may take to send its headers). Default: ${DEFAULT-VALUE}.")
  long idleTimeoutSeconds;

  @Option(
      names = "--max-buffered-request-bytes",
      paramLabel = "BYTES",
      description =
          "The bytes all unfinished request bodies may hold together, server-wide; a request that would go beyond is refused with HTTP 503 / gRPC UNAVAILABLE. Default: a quarter of the maximum heap, at least --max-request-bytes.")
  Long maxBufferedRequestBytes;

  @Option(
      names = "--http2-max-concurrent-streams",
      defaultValue = "" + ConnectionLimits.DEFAULT_HTTP2_MAX_STREAMS,
      paramLabel = "N",
      description =
          "The concurrent streams one HTTP/2 connection (REST over h2 or gRPC) may open; more are refused with RST_STREAM. Default: ${DEFAULT-VALUE}.")
  long http2MaxStreams;

  @Option(
      names = "--max-connections",
      defaultValue = "" + ConnectionLimits.DEFAULT_MAX_CONNECTIONS,
      paramLabel = "N",
      description =
          "The connections each port accepts at once; more are closed at once. Default: ${DEFAULT-VALUE}.")
  int maxConnections;

  @Option(
      names = "--http1-max-header-bytes",
      defaultValue = "" + ConnectionLimits.DEFAULT_HTTP1_MAX_HEADER_BYTES,
      paramLabel = "BYTES",
      description =
          "The largest HTTP/1 header section; beyond: HTTP 431 and the connection is closed. Default: ${DEFAULT-VALUE}.")
  int http1MaxHeaderBytes;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /**
   * The limits; a value out of range is refused naming its flag.
   *
   * @throws ParameterException for a negative timeout or a count, size or cap below its minimum
   */
  ConnectionLimits toLimits(long maxRequestBytes) {
    List<String> problems = new ArrayList<>();
    atLeast(problems, "--request-timeout-secs", requestTimeoutSeconds, 0);
    atLeast(problems, "--idle-timeout-secs", idleTimeoutSeconds, 0);
    if (maxBufferedRequestBytes != null) {
      atLeast(problems, "--max-buffered-request-bytes", maxBufferedRequestBytes, 1);
    }
    atLeast(problems, "--http2-max-concurrent-streams", http2MaxStreams, 1);
    atLeast(problems, "--max-connections", maxConnections, 1);
    atLeast(problems, "--http1-max-header-bytes", http1MaxHeaderBytes, 1024);
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    return new ConnectionLimits(
        Duration.ofSeconds(requestTimeoutSeconds),
        Duration.ofSeconds(idleTimeoutSeconds),
        maxBufferedRequestBytes != null
            ? maxBufferedRequestBytes
            : ConnectionLimits.defaultMaxBufferedRequestBytes(maxRequestBytes),
        http2MaxStreams,
        maxConnections,
        http1MaxHeaderBytes);
  }

  private static void atLeast(List<String> problems, String flag, long value, long minimum) {
    if (value < minimum) {
      problems.add(flag + " " + value + " (expected " + minimum + " or more)");
    }
  }
}
