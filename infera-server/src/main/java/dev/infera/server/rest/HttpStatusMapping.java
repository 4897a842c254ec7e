package dev.infera.server.rest;

import com.linecorp.armeria.common.HttpStatus;
import dev.infera.spi.ErrorCode;

/**
 * The one table mapping {@link ErrorCode}s to HTTP statuses. {@code RESOURCE_EXHAUSTED} is 413
 * because the limits the REST frontend enforces are request sizes; {@code CANCELLED} is 499, the
 * de-facto "client closed request" status, which the client rarely sees.
 */
public final class HttpStatusMapping {
  /** The status for {@link ErrorCode#CANCELLED}: nginx's "client closed request". */
  public static final HttpStatus CLIENT_CLOSED_REQUEST = HttpStatus.valueOf(499);

  private HttpStatusMapping() {}

  public static HttpStatus statusOf(ErrorCode code) {
    return switch (code) {
      case INVALID_ARGUMENT, ALREADY_EXISTS, FAILED_PRECONDITION -> HttpStatus.BAD_REQUEST;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
      case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
      case CANCELLED -> CLIENT_CLOSED_REQUEST;
      case RESOURCE_EXHAUSTED -> HttpStatus.REQUEST_ENTITY_TOO_LARGE;
      case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
      case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
      case UNIMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
      case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
    };
  }
}
