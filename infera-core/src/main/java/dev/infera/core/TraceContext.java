package dev.infera.core;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A caller's W3C trace context, carried so that the request's spans join the caller's trace: the
 * {@code traceparent} and {@code tracestate} values as they came (HTTP headers, gRPC metadata).
 *
 * @param traceparent {@code version-traceid-parentid-flags}, lower-case hex, as W3C Trace Context
 *     defines it; an all-zero trace or parent id is invalid
 * @param tracestate the vendor list that goes with it; empty when none came
 */
public record TraceContext(String traceparent, Optional<String> tracestate) {
  private static final Pattern TRACEPARENT =
      Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");
  private static final int MAX_TRACESTATE_CHARS = 512;

  public TraceContext {
    Objects.requireNonNull(tracestate, "tracestate");
    if (!isValid(traceparent)) {
      throw new IllegalArgumentException("traceparent '" + traceparent + "' is malformed");
    }
  }

  /**
   * The context for the values a request carried. As W3C Trace Context asks, a malformed {@code
   * traceparent} is ignored (the request starts a trace of its own) rather than refused, and a
   * {@code tracestate} without a valid parent, or longer than 512 characters, is dropped.
   */
  public static Optional<TraceContext> of(String traceparent, String tracestate) {
    if (traceparent == null || !isValid(traceparent.trim())) {
      return Optional.empty();
    }
    Optional<String> state =
        tracestate == null || tracestate.isBlank() || tracestate.length() > MAX_TRACESTATE_CHARS
            ? Optional.empty()
            : Optional.of(tracestate.trim());
    return Optional.of(new TraceContext(traceparent.trim(), state));
  }

  /** The trace id: 32 lower-case hex digits. */
  public String traceId() {
    return traceparent.substring(3, 35);
  }

  /** The caller's span id: 16 lower-case hex digits. */
  public String parentSpanId() {
    return traceparent.substring(36, 52);
  }

  private static boolean isValid(String value) {
    return value != null
        && TRACEPARENT.matcher(value).matches()
        && !value.startsWith("ff")
        && !value.substring(3, 35).chars().allMatch(c -> c == '0')
        && !value.substring(36, 52).chars().allMatch(c -> c == '0')
        && (value.length() == 55 || !value.startsWith("00"));
  }
}
