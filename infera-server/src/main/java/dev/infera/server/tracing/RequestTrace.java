package dev.infera.server.tracing;

import com.linecorp.armeria.common.RequestContext;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.TraceContext;
import dev.infera.core.tracing.InferenceSpans;
import dev.infera.server.logging.RequestLogContext;
import dev.infera.spi.InferenceException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The request span of one traced request, held by its edge (REST or gRPC) from arrival until its
 * response is written, with the decode and encode spans under it. {@link #NONE} stands for every
 * untraced request: its methods only run the work they are given, so an untraced request builds no
 * span object. Used by one request's callbacks, one after the other.
 */
public final class RequestTrace {
  /** An untraced request. */
  public static final RequestTrace NONE = new RequestTrace(null, null);

  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<Long> GRPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");

  private final Tracer tracer;
  private final Span span;

  RequestTrace(Tracer tracer, Span span) {
    this.tracer = tracer;
    this.span = span;
  }

  /** Whether the request is traced. */
  public boolean isOn() {
    return span != null;
  }

  /** The request with this span in its options, for the engine's spans to hang under. */
  public InferenceRequest traced(InferenceRequest request) {
    if (span == null) {
      return request;
    }
    request.id().ifPresent(id -> span.setAttribute(InferenceSpans.REQUEST_ID, id));
    return request.withOptions(request.options().toBuilder().span(span.getSpanContext()).build());
  }

  /**
   * Notes the request's ids on its context for the log lines about it: its request id, and the
   * request span's trace and span ids, or the caller's when the request is not traced.
   */
  public void noteIds(RequestContext ctx, InferenceRequest request) {
    String requestId = request.id().orElse(null);
    if (span != null) {
      SpanContext own = span.getSpanContext();
      RequestLogContext.note(ctx, requestId, own.getTraceId(), own.getSpanId());
    } else if (request.options().trace().isPresent()) {
      TraceContext caller = request.options().trace().get();
      RequestLogContext.note(ctx, requestId, caller.traceId(), caller.parentSpanId());
    } else {
      RequestLogContext.note(ctx, requestId, null, null);
    }
  }

  /** Runs the decoding of the request inside a {@value InferenceSpans#DECODE} span. */
  public <T> T decode(Supplier<T> work) {
    return child(InferenceSpans.DECODE, work);
  }

  /** Runs the encoding of the response inside an {@value InferenceSpans#ENCODE} span. */
  public <T> T encode(Supplier<T> work) {
    return child(InferenceSpans.ENCODE, work);
  }

  private <T> T child(String name, Supplier<T> work) {
    if (span == null) {
      return work.get();
    }
    Span child = tracer.spanBuilder(name).setParent(Context.root().with(span)).startSpan();
    try {
      return work.get();
    } catch (RuntimeException e) {
      child.setStatus(StatusCode.ERROR, code(e));
      throw e;
    } finally {
      child.end();
    }
  }

  /** Notes the version that answered. */
  public void answered(InferenceResponse response) {
    if (span != null) {
      span.setAttribute(InferenceSpans.VERSION, response.modelVersion());
    }
  }

  /** Notes why the request failed; the span ends with {@link #endHttp} or {@link #endGrpc}. */
  public void failed(Throwable failure) {
    if (span != null) {
      span.setAttribute(InferenceSpans.ERROR_CODE, code(failure));
    }
  }

  /** Ends the request span once its HTTP response was sent; 5xx statuses mark it failed. */
  public void endHttp(int status) {
    if (span == null) {
      return;
    }
    span.setAttribute(HTTP_STATUS, (long) status);
    if (status >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  /** Ends the request span once its gRPC answer was sent; codes other than OK mark it failed. */
  public void endGrpc(io.grpc.Status.Code code) {
    if (span == null) {
      return;
    }
    span.setAttribute(GRPC_STATUS, (long) code.value());
    if (code != io.grpc.Status.Code.OK) {
      span.setStatus(StatusCode.ERROR, code.name());
    }
    span.end();
  }

  private static String code(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof InferenceException inference ? inference.code().name() : "INTERNAL";
  }
}
