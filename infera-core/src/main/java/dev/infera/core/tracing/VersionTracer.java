package dev.infera.core.tracing;

import dev.infera.spi.ErrorCode;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Builds the spans of one model version's batch executions, after each execution, from its measured
 * times: a {@value InferenceSpans#BATCH} span linked to each traced request, and per traced request
 * a {@value InferenceSpans#QUEUE} and a {@value InferenceSpans#COMPUTE} span (linked back to the
 * batch span) under the request's span. Called only for batches with at least one traced request.
 * Thread-safe: stateless apart from what it is built with.
 */
public final class VersionTracer {
  /** Builds nothing: for schedulers of a server that does not trace. */
  public static final VersionTracer OFF = new VersionTracer(null, Clock.systemUTC(), "", "");

  private final Tracer tracer;
  private final Clock clock;
  private final Attributes version;

  /**
   * @param tracer the server's tracer; null builds nothing
   * @param clock the wall clock span timestamps are read from
   */
  public VersionTracer(Tracer tracer, Clock clock, String model, String version) {
    this.tracer = tracer;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.version = Attributes.of(InferenceSpans.MODEL, model, InferenceSpans.VERSION, version);
  }

  /** Whether this tracer builds spans at all. */
  public boolean isOn() {
    return tracer != null;
  }

  /**
   * Records one batch execution that just ended.
   *
   * @param traced the batch's traced requests (at least one), in batch order
   * @param batchSize the batch's requests, traced or not
   * @param rows the batch's rows
   * @param computeNanos how long the execution took
   * @param failure the code the whole batch failed with; empty when it ran
   */
  public void executed(
      List<TracedRequest> traced,
      int batchSize,
      int rows,
      long computeNanos,
      Optional<ErrorCode> failure) {
    if (tracer == null || traced.isEmpty()) {
      return;
    }
    long end = epochNanos(clock.instant());
    long start = end - computeNanos;
    SpanBuilder batchBuilder =
        tracer
            .spanBuilder(InferenceSpans.BATCH)
            .setNoParent()
            .setSpanKind(SpanKind.INTERNAL)
            .setStartTimestamp(start, TimeUnit.NANOSECONDS)
            .setAllAttributes(version)
            .setAttribute(InferenceSpans.BATCH_SIZE, (long) batchSize)
            .setAttribute(InferenceSpans.BATCH_ROWS, (long) rows)
            .setAttribute(InferenceSpans.INSTANCE, Thread.currentThread().getName());
    for (TracedRequest request : traced) {
      batchBuilder.addLink(request.span());
    }
    Span batch = batchBuilder.startSpan();
    failure.ifPresent(code -> failed(batch, code));
    batch.end(end, TimeUnit.NANOSECONDS);
    for (TracedRequest request : traced) {
      Context parent = Context.root().with(Span.wrap(request.span()));
      child(parent, InferenceSpans.QUEUE, start - request.queueNanos(), start, request, null, null);
      child(
          parent,
          InferenceSpans.COMPUTE,
          start,
          end,
          request,
          batch.getSpanContext(),
          failure.orElse(null));
    }
  }

  private void child(
      Context parent,
      String name,
      long start,
      long end,
      TracedRequest request,
      SpanContext link,
      ErrorCode failure) {
    SpanBuilder builder =
        tracer
            .spanBuilder(name)
            .setParent(parent)
            .setStartTimestamp(start, TimeUnit.NANOSECONDS)
            .setAllAttributes(version)
            .setAttribute(InferenceSpans.ROWS, (long) request.rows());
    if (link != null) {
      builder.addLink(link);
    }
    Span span = builder.startSpan();
    if (failure != null) {
      failed(span, failure);
    }
    span.end(end, TimeUnit.NANOSECONDS);
  }

  private static void failed(Span span, ErrorCode code) {
    span.setStatus(StatusCode.ERROR, code.name());
    span.setAttribute(InferenceSpans.ERROR_CODE, code.name());
  }

  private static long epochNanos(Instant instant) {
    return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
  }
}
