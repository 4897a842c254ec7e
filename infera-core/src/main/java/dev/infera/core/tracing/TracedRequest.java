package dev.infera.core.tracing;

import io.opentelemetry.api.trace.SpanContext;
import java.util.Objects;

/**
 * One traced request of an executed batch.
 *
 * @param span the server's span of the request, the parent of its queue and compute spans
 * @param queueNanos how long it waited between its arrival in the queue and its batch's start
 * @param rows the rows it carried
 */
public record TracedRequest(SpanContext span, long queueNanos, int rows) {
  public TracedRequest {
    Objects.requireNonNull(span, "span");
    if (queueNanos < 0 || rows < 1) {
      throw new IllegalArgumentException(
          "queueNanos " + queueNanos + ", rows " + rows + " (expected >= 0, >= 1)");
    }
  }
}
