package dev.infera.core;

import io.opentelemetry.api.trace.SpanContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asked for beyond the tensors, translated once at the edge from its transport's
 * envelope (request parameters, HTTP headers, gRPC metadata and deadline) and validated here. The
 * engine reads these fields and never parses a transport parameter itself.
 *
 * @param priority the priority level, 1 highest; 0 means the model's default (Triton's {@code
 *     priority}); the engine checks it against the model's {@code priority_levels}
 * @param timeout the caller's queue timeout (Triton's {@code timeout}, sent in microseconds): the
 *     request fails with DEADLINE_EXCEEDED when it has not started executing by then; empty for
 *     none
 * @param deadline when the caller stops waiting (a gRPC deadline); the engine applies the earlier
 *     of this and {@code timeout}
 * @param outputDefaults the options of every output the request does not name (and the defaults of
 *     those it does), such as REST's {@code binary_data_output}
 * @param routingKey the caller's routing (correlation) key, so that one user always meets one
 *     variant of a model; empty when none came
 * @param trace the caller's trace context, when it sent one
 * @param span the server's own span for this request, when the server traces it (sampled by its
 *     trace settings); the engine's spans (queue wait, compute, batch execution) hang under it, and
 *     when it is empty the engine builds no span at all
 * @param parameters the request's other parameters, passed through untouched for backends that take
 *     custom request parameters; values are {@code Boolean}, {@code Long}, {@code Double} or {@code
 *     String}. The engine never reads them.
 * @param warmup whether this is one of the server's own warm-up requests (set only by the edge, for
 *     a request carrying the process's warm-up pass over loopback): it is answered like any other
 *     but counted nowhere a user looks (request and execution metrics, statistics, drift, the
 *     response cache, rollout judgement)
 */
public record RequestOptions(
    int priority,
    Optional<Duration> timeout,
    Optional<Deadline> deadline,
    OutputOptions outputDefaults,
    Optional<String> routingKey,
    Optional<TraceContext> trace,
    Optional<SpanContext> span,
    Map<String, Object> parameters,
    boolean warmup) {

  /** No priority, timeout, deadline, routing key or trace; outputs as JSON values. */
  public static final RequestOptions DEFAULT = builder().build();

  public RequestOptions {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(outputDefaults, "outputDefaults");
    Objects.requireNonNull(routingKey, "routingKey");
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(span, "span");
    if (priority < 0) {
      throw new IllegalArgumentException("priority " + priority + " (expected >= 0)");
    }
    if (timeout.isPresent() && (timeout.get().isNegative() || timeout.get().isZero())) {
      throw new IllegalArgumentException(
          "timeout " + timeout.get() + " (expected positive; empty for none)");
    }
    parameters = Map.copyOf(parameters);
    parameters.forEach(RequestOptions::checkParameter);
  }

  private static void checkParameter(String name, Object value) {
    if (!(value instanceof Boolean
        || value instanceof Long
        || value instanceof Double
        || value instanceof String)) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' is a " + value.getClass().getSimpleName());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.priority = priority;
    builder.timeout = timeout;
    builder.deadline = deadline;
    builder.outputDefaults = outputDefaults;
    builder.routingKey = routingKey;
    builder.trace = trace;
    builder.span = span;
    builder.parameters.putAll(parameters);
    builder.warmup = warmup;
    return builder;
  }

  /** Builds options field by field, as an edge reads its envelope. Not thread-safe. */
  public static final class Builder {
    private int priority;
    private Optional<Duration> timeout = Optional.empty();
    private Optional<Deadline> deadline = Optional.empty();
    private OutputOptions outputDefaults = OutputOptions.DEFAULT;
    private Optional<String> routingKey = Optional.empty();
    private Optional<TraceContext> trace = Optional.empty();
    private Optional<SpanContext> span = Optional.empty();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private boolean warmup;

    private Builder() {}

    public Builder priority(int value) {
      priority = value;
      return this;
    }

    public Builder timeout(Duration value) {
      timeout = Optional.of(value);
      return this;
    }

    public Builder deadline(Deadline value) {
      deadline = Optional.of(value);
      return this;
    }

    public Builder outputDefaults(OutputOptions value) {
      outputDefaults = Objects.requireNonNull(value, "outputDefaults");
      return this;
    }

    public Builder routingKey(String value) {
      routingKey = Optional.of(value);
      return this;
    }

    public Builder trace(Optional<TraceContext> value) {
      trace = Objects.requireNonNull(value, "trace");
      return this;
    }

    public Builder span(SpanContext value) {
      span = Optional.of(value);
      return this;
    }

    public Builder parameter(String name, Object value) {
      parameters.put(name, value);
      return this;
    }

    /** Marks the server's own warm-up request; see {@link RequestOptions#warmup()}. */
    public Builder warmup(boolean value) {
      warmup = value;
      return this;
    }

    public RequestOptions build() {
      return new RequestOptions(
          priority, timeout, deadline, outputDefaults, routingKey, trace, span, parameters, warmup);
    }
  }
}
