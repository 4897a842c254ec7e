package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ClosedSessionException;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseCompleteException;
import com.linecorp.armeria.common.util.CompositeException;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpResponseException;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.RequestTimeoutException;
import dev.infera.server.messages.ClientMessages;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns failures into {@code {"error": "..."}} responses. This is the REST frontend's edge: the
 * only place that logs a failure, once, with its stack trace when it was unexpected.
 */
final class ErrorResponses {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  static final String INTERNAL_MESSAGE = "internal error; see the server log";

  private ErrorResponses() {}

  /** The response for any failure of a request, with the status from {@link HttpStatusMapping}. */
  static HttpResponse of(Throwable failure) {
    return toAggregated(failure).toHttpResponse();
  }

  static AggregatedHttpResponse toAggregated(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof InferenceException e) {
      if (e.code() == ErrorCode.INTERNAL) {
        log.error("internal error: {}", e.getMessage(), e);
      }
      return json(HttpStatusMapping.statusOf(e.code()), ClientMessages.forClient(e.getMessage()));
    }
    if (cause instanceof ContentTooLargeException e) {
      return json(HttpStatus.REQUEST_ENTITY_TOO_LARGE, tooLargeMessage(e));
    }
    if (isUndecodableBody(cause)) {
      return json(
          HttpStatus.BAD_REQUEST,
          "request body is not valid data for its Content-Encoding (gzip or deflate)");
    }
    if (isClientGone(cause)) {
      log.debug("request ended before its response: {}", cause.toString());
      return json(HttpStatusMapping.CLIENT_CLOSED_REQUEST, "request cancelled");
    }
    if (cause instanceof RequestTimeoutException) {
      return json(HttpStatus.SERVICE_UNAVAILABLE, "request timed out");
    }
    if (cause instanceof HttpStatusException e) {
      return json(
          e.httpStatus(), JsonErrorHandler.message(null, e.httpStatus(), null, e.getCause()));
    }
    if (cause instanceof HttpResponseException e) {
      log.warn("unexpected response exception", e);
      return json(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_MESSAGE);
    }
    log.error("unexpected failure while serving a request", cause);
    return json(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_MESSAGE);
  }

  /** Failures that only mean the client or the stream went away: nothing to log. */
  private static boolean isClientGone(Throwable cause) {
    return cause instanceof CancellationException
        || cause instanceof ResponseCompleteException
        || cause instanceof ClosedSessionException
        || Exceptions.isStreamCancelling(cause)
        || Exceptions.isExpected(cause);
  }

  /** A body that is not what its Content-Encoding says: the client's fault, not the server's. */
  private static boolean isUndecodableBody(Throwable cause) {
    Deque<Throwable> pending = new ArrayDeque<>(List.of(cause));
    for (int seen = 0; !pending.isEmpty() && seen < 32; seen++) {
      Throwable t = pending.removeFirst();
      if (t instanceof DecoderException || t instanceof java.util.zip.ZipException) {
        return true;
      }
      if (t instanceof CompositeException composite) {
        pending.addAll(composite.getExceptions());
      }
      if (t.getCause() != null && t.getCause() != t) {
        pending.add(t.getCause());
      }
    }
    return false;
  }

  static String tooLargeMessage(ContentTooLargeException e) {
    return e.maxContentLength() > 0
        ? "request body is larger than the limit of " + e.maxContentLength() + " bytes"
        : "request body is larger than the limit";
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A {@code {"error": message}} response with the given status. */
  static AggregatedHttpResponse json(HttpStatus status, String message) {
    return AggregatedHttpResponse.of(status, MediaType.JSON, errorBody(message));
  }

  static byte[] errorBody(String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.length());
    try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("error", message);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
