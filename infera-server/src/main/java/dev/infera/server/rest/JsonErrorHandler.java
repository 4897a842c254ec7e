package dev.infera.server.rest;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.annotation.Nullable;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.server.messages.ClientMessages;

/**
 * Makes the responses Armeria produces itself (no route, wrong method, body too large, protocol
 * violations, timeouts) and exceptions escaping a service come out as {@code {"error": "..."}}.
 * gRPC requests are left to the next handler, so one server may carry both frontends.
 */
final class JsonErrorHandler implements ServerErrorHandler {

  @Override
  @Nullable
  public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    if (isGrpc(ctx.request().headers())) {
      return null;
    }
    return ErrorResponses.of(cause);
  }

  @Override
  @Nullable
  public AggregatedHttpResponse onProtocolViolation(
      ServiceConfig config,
      @Nullable RequestHeaders headers,
      HttpStatus status,
      @Nullable String description,
      @Nullable Throwable cause) {
    return render(headers, status, description, cause);
  }

  @Override
  @Nullable
  public AggregatedHttpResponse renderStatus(
      @Nullable ServiceRequestContext ctx,
      ServiceConfig config,
      @Nullable RequestHeaders headers,
      HttpStatus status,
      @Nullable String description,
      @Nullable Throwable cause) {
    return render(headers, status, description, cause);
  }

  @Nullable
  private static AggregatedHttpResponse render(
      @Nullable RequestHeaders headers,
      HttpStatus status,
      @Nullable String description,
      @Nullable Throwable cause) {
    if (status.isContentAlwaysEmpty() || (headers != null && isGrpc(headers))) {
      return null;
    }
    return ErrorResponses.json(status, message(headers, status, description, cause));
  }

  /** How Armeria describes a request its HTTP/1 decoder could not frame. */
  private static final String DECODER_FAILURE = "Decoder failure";

  static String message(
      @Nullable RequestHeaders headers,
      HttpStatus status,
      @Nullable String description,
      @Nullable Throwable cause) {
    if (cause instanceof ContentTooLargeException e) {
      return ErrorResponses.tooLargeMessage(e);
    }
    if (status.equals(HttpStatus.NOT_FOUND) && headers != null) {
      return "no such endpoint: " + headers.method() + " " + headers.path();
    }
    if (status.equals(HttpStatus.METHOD_NOT_ALLOWED) && headers != null) {
      return "method " + headers.method() + " is not allowed on " + headers.path();
    }
    if (status.equals(HttpStatus.REQUEST_ENTITY_TOO_LARGE)) {
      return "request body is larger than the limit";
    }
    if (status.equals(HttpStatus.BAD_REQUEST) && DECODER_FAILURE.equals(description)) {
      // Armeria's words for a request its HTTP/1 decoder refused: say what was wrong with it.
      return "the request's message framing is invalid (expected one Content-Length, or"
          + " Transfer-Encoding: chunked alone; RFC 9112, section 6); the connection is closed";
    }
    if (description != null && !description.isBlank()) {
      return status.reasonPhrase() + ": " + ClientMessages.forClient(description);
    }
    return status.reasonPhrase();
  }

  private static boolean isGrpc(RequestHeaders headers) {
    MediaType type = headers.contentType();
    return type != null && type.subtype().startsWith("grpc");
  }
}
