package dev.infera.core.scheduling;

import dev.infera.spi.Tensor;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One validated request, ready to queue.
 *
 * @param inputs every model input, full shapes as the model takes them (batch dimension first where
 *     the model has one)
 * @param outputNames the outputs to compute, at least one
 * @param rows the number of batch rows the request carries (its first dimension); 1 for a model
 *     without a batch dimension
 * @param priority the priority level, 1 is highest; 0 means the model's default
 * @param timeout the queue timeout asked for by the request; empty means the model's default
 * @param span the server's span of the request when it is traced; its execution's spans hang under
 *     it. Empty for an untraced request, for which no span is built.
 * @param warmup whether it is the server's own warm-up request: it bypasses the response cache, and
 *     a batch of warm-up requests only is not counted in the execution metrics
 */
public record ScheduledRequest(
    List<Tensor> inputs,
    List<String> outputNames,
    int rows,
    int priority,
    Optional<Duration> timeout,
    Optional<SpanContext> span,
    boolean warmup) {
  public ScheduledRequest {
    Objects.requireNonNull(span, "span");
    inputs = List.copyOf(inputs);
    outputNames = List.copyOf(outputNames);
    Objects.requireNonNull(timeout, "timeout");
    if (rows < 1) {
      throw new IllegalArgumentException("rows " + rows + " (expected >= 1)");
    }
    if (priority < 0) {
      throw new IllegalArgumentException("priority " + priority + " (expected >= 0)");
    }
  }

  /** An untraced request. */
  public ScheduledRequest(
      List<Tensor> inputs,
      List<String> outputNames,
      int rows,
      int priority,
      Optional<Duration> timeout) {
    this(inputs, outputNames, rows, priority, timeout, Optional.empty(), false);
  }

  /** A client's request (not a warm-up request). */
  public ScheduledRequest(
      List<Tensor> inputs,
      List<String> outputNames,
      int rows,
      int priority,
      Optional<Duration> timeout,
      Optional<SpanContext> span) {
    this(inputs, outputNames, rows, priority, timeout, span, false);
  }
}
