package dev.infera.server.logging;

import com.linecorp.armeria.common.RequestContext;
import io.netty.util.AttributeKey;
import org.slf4j.MDC;

/**
 * What identifies a request in the log lines written while serving it: its request id (the caller's
 * KServe {@code id}, or the server's own id of the call when it sent none) and its trace and span
 * ids (the server's request span when it traces the request, else the caller's W3C trace context),
 * kept on the request's context and put in the MDC around the lines about it (as {@value
 * #REQUEST_ID}, {@value #TRACE_ID}, {@value #SPAN_ID}; JSON log lines carry them under {@code
 * mdc}).
 */
public final class RequestLogContext {
  public static final String REQUEST_ID = "request_id";
  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";

  private static final AttributeKey<String> REQUEST_ID_ATTR =
      AttributeKey.valueOf(RequestLogContext.class, REQUEST_ID);
  private static final AttributeKey<String> TRACE_ID_ATTR =
      AttributeKey.valueOf(RequestLogContext.class, TRACE_ID);
  private static final AttributeKey<String> SPAN_ID_ATTR =
      AttributeKey.valueOf(RequestLogContext.class, SPAN_ID);

  private RequestLogContext() {}

  /**
   * Notes a request's ids on its context; null values are left out.
   *
   * @param ctx the request's context; null (a call outside a server) notes nothing
   */
  public static void note(RequestContext ctx, String requestId, String traceId, String spanId) {
    if (ctx == null) {
      return;
    }
    ctx.setAttr(REQUEST_ID_ATTR, requestId);
    if (traceId != null) {
      ctx.setAttr(TRACE_ID_ATTR, traceId);
      ctx.setAttr(SPAN_ID_ATTR, spanId);
    }
  }

  /** The request id noted on {@code ctx}, else the server's own id of the call. */
  static String requestId(RequestContext ctx) {
    String id = ctx.attr(REQUEST_ID_ATTR);
    return id != null ? id : ctx.id().text();
  }

  /**
   * Puts {@code ctx}'s ids in the MDC until the returned scope closes; a null context puts none.
   */
  public static Scope mdc(RequestContext ctx) {
    if (ctx == null) {
      return () -> {};
    }
    MDC.put(REQUEST_ID, requestId(ctx));
    String traceId = ctx.attr(TRACE_ID_ATTR);
    if (traceId != null) {
      MDC.put(TRACE_ID, traceId);
      MDC.put(SPAN_ID, ctx.attr(SPAN_ID_ATTR));
    }
    return () -> {
      MDC.remove(REQUEST_ID);
      MDC.remove(TRACE_ID);
      MDC.remove(SPAN_ID);
    };
  }

  /** An MDC scope. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
