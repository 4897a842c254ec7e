package dev.infera.server.grpc;

import dev.infera.server.messages.ClientMessages;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one table from Infera's {@link ErrorCode}s to gRPC status codes, and the translation of any
 * failure into the {@link Status} a client sees. A failure that is not an {@link
 * InferenceException} becomes {@code INTERNAL} with a generic description: no exception text or
 * stack trace reaches a client.
 */
public final class GrpcStatusMapping {
  /** The description a client sees for failures Infera did not expect. */
  static final String INTERNAL_DESCRIPTION = "internal error; the server log has the details";

  private static final Map<ErrorCode, Status.Code> CODES = new EnumMap<>(ErrorCode.class);

  static {
    CODES.put(ErrorCode.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT);
    CODES.put(ErrorCode.NOT_FOUND, Status.Code.NOT_FOUND);
    CODES.put(ErrorCode.UNAVAILABLE, Status.Code.UNAVAILABLE);
    CODES.put(ErrorCode.DEADLINE_EXCEEDED, Status.Code.DEADLINE_EXCEEDED);
    CODES.put(ErrorCode.CANCELLED, Status.Code.CANCELLED);
    CODES.put(ErrorCode.ALREADY_EXISTS, Status.Code.ALREADY_EXISTS);
    CODES.put(ErrorCode.FAILED_PRECONDITION, Status.Code.FAILED_PRECONDITION);
    CODES.put(ErrorCode.RESOURCE_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED);
    CODES.put(ErrorCode.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED);
    CODES.put(ErrorCode.PERMISSION_DENIED, Status.Code.PERMISSION_DENIED);
    CODES.put(ErrorCode.UNIMPLEMENTED, Status.Code.UNIMPLEMENTED);
    CODES.put(ErrorCode.INTERNAL, Status.Code.INTERNAL);
  }

  private GrpcStatusMapping() {}

  /** The gRPC status code for an error code; every code has one. */
  public static Status.Code codeFor(ErrorCode code) {
    return CODES.get(code);
  }

  /**
   * The status a client sees for a failure. Wrappers from futures ({@link CompletionException},
   * {@link ExecutionException}) are looked through; a cancelled future is {@code CANCELLED}; a gRPC
   * status passes unchanged.
   */
  public static Status toStatus(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof InferenceException e) {
      return Status.fromCode(codeFor(e.code()))
          .withDescription(ClientMessages.forClient(e.getMessage()));
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("the request was cancelled");
    }
    if (cause instanceof StatusRuntimeException e) {
      return e.getStatus();
    }
    if (cause instanceof StatusException e) {
      return e.getStatus();
    }
    return Status.INTERNAL.withDescription(INTERNAL_DESCRIPTION);
  }

  /** Whether a failure is one Infera did not expect, so that the edge logs it with its trace. */
  static boolean isUnexpected(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof InferenceException e) {
      return e.code() == ErrorCode.INTERNAL;
    }
    return !(cause instanceof CancellationException
        || cause instanceof StatusRuntimeException
        || cause instanceof StatusException);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
