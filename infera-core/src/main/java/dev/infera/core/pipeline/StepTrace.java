package dev.infera.core.pipeline;

import dev.infera.core.tracing.InferenceSpans;
import dev.infera.spi.ErrorCode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@value InferenceSpans#STEP} span of one step of a traced pipeline request, a child of the
 * ensemble request's span; the step's calls carry it in their options, so the step models' queue
 * and compute spans hang under it. {@link #NONE} stands for every step of an untraced request and
 * builds nothing. Written by the threads completing the step's calls.
 */
final class StepTrace {
  static final StepTrace NONE = new StepTrace(null);

  /** How a step ended, worst last: a step split in parts reports its worst part. */
  enum Outcome {
    OK("ok"),
    SKIPPED("skipped"),
    FALLBACK_MODEL("fallback_model"),
    FALLBACK_VALUE("fallback_value"),
    SOFT_FAILURE("soft_failure"),
    TIMED_OUT("timed_out"),
    FAILED("failed");

    final String text;

    Outcome(String text) {
      this.text = text;
    }
  }

  private final Span span;
  private final AtomicReference<Outcome> outcome = new AtomicReference<>(Outcome.OK);
  private final AtomicLong rowsSent = new AtomicLong();
  private final List<String> routed = new CopyOnWriteArrayList<>();

  private StepTrace(Span span) {
    this.span = span;
  }

  /**
   * Starts the step's span under the request's span; {@link #NONE} when the request is untraced.
   */
  static StepTrace start(Tracer tracer, Optional<SpanContext> request, PipelineStep step) {
    if (tracer == null || request.isEmpty()) {
      return NONE;
    }
    Span span =
        tracer
            .spanBuilder(InferenceSpans.STEP)
            .setParent(Context.root().with(Span.wrap(request.get())))
            .setAttribute(InferenceSpans.STEP_INDEX, (long) step.index())
            .setAttribute(InferenceSpans.MODEL, step.model())
            .setAttribute(InferenceSpans.VERSION, step.version().orElse("-1"))
            .startSpan();
    return new StepTrace(span);
  }

  /** The span the step's calls hang their spans under; empty when untraced. */
  Optional<SpanContext> context() {
    return span == null ? Optional.empty() : Optional.of(span.getSpanContext());
  }

  /** Notes an outcome; the worst one noted is the step's. */
  void outcome(Outcome noted) {
    if (span != null) {
      outcome.accumulateAndGet(noted, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }
  }

  /** Notes rows sent to a model (a call, a retry or a fallback call). */
  void sent(int rows) {
    if (span != null) {
      rowsSent.addAndGet(rows);
    }
  }

  /** Notes a cascade step's escalated rows. */
  void cascade(long escalated) {
    if (span != null) {
      span.setAttribute(InferenceSpans.CASCADE_ROWS, escalated);
    }
  }

  /** Notes a model a router sent rows to. */
  void routed(String model) {
    if (span != null) {
      routed.add(model);
    }
  }

  /** Notes the model that answered in the step's place. */
  void fallbackModel(String model) {
    if (span != null) {
      span.setAttribute(InferenceSpans.FALLBACK_MODEL, model);
    }
  }

  /** Ends the span; a hard failure marks it failed (timed out for DEADLINE_EXCEEDED). */
  void end(Optional<ErrorCode> failure) {
    if (span == null) {
      return;
    }
    failure.ifPresent(
        code -> {
          outcome(code == ErrorCode.DEADLINE_EXCEEDED ? Outcome.TIMED_OUT : Outcome.FAILED);
          span.setStatus(StatusCode.ERROR, code.name());
          span.setAttribute(InferenceSpans.ERROR_CODE, code.name());
        });
    span.setAttribute(InferenceSpans.STEP_OUTCOME, outcome.get().text);
    span.setAttribute(InferenceSpans.STEP_ROWS_SENT, rowsSent.get());
    if (!routed.isEmpty()) {
      span.setAttribute(InferenceSpans.ROUTED_MODELS, List.copyOf(routed));
    }
    span.end();
  }
}
