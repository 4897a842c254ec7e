package dev.infera.server.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import com.linecorp.armeria.common.util.CompositeException;
import dev.infera.server.messages.ClientMessages;
import dev.infera.spi.InferenceException;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Failures gRPC raises before a call reaches the service, classed by whose fault they are: a
 * message that is not valid protobuf or not valid data for its {@code grpc-encoding} is the
 * client's ({@code INVALID_ARGUMENT}), an {@link InferenceException} raised while the request
 * arrived (such as the buffered-bytes cap) keeps its own code; every description passes through
 * {@link ClientMessages}, so no library class name reaches the client.
 */
final class GrpcClientFaults {
  private GrpcClientFaults() {}

  /** Classifies what it recognises; null for the next handler. */
  static Status classify(RequestContext ctx, Status status, Throwable cause, Metadata metadata) {
    for (Throwable t : causes(cause)) {
      if (t instanceof InferenceException e) {
        return GrpcStatusMapping.toStatus(e);
      }
      if (t instanceof InvalidProtocolBufferException) {
        return Status.INVALID_ARGUMENT.withDescription(
            "request message is not valid protobuf for this method");
      }
      if (t instanceof ZipException || isDecompressionFailure(t)) {
        return status.getCode() == Status.Code.RESOURCE_EXHAUSTED
            ? Status.RESOURCE_EXHAUSTED.withDescription(
                "request message is larger than the limit after decompression")
            : Status.INVALID_ARGUMENT.withDescription(
                "request message cannot be decompressed as its grpc-encoding says");
      }
    }
    return null;
  }

  /** The failure, its causes, and the members of Armeria's composite exceptions, in order. */
  static List<Throwable> causes(Throwable failure) {
    List<Throwable> all = new ArrayList<>();
    Deque<Throwable> pending = new ArrayDeque<>();
    if (failure != null) {
      pending.add(failure);
    }
    while (!pending.isEmpty() && all.size() < 32) {
      Throwable t = pending.removeFirst();
      all.add(t);
      if (t instanceof CompositeException composite) {
        pending.addAll(composite.getExceptions());
      }
      if (t.getCause() != null && t.getCause() != t) {
        pending.add(t.getCause());
      }
    }
    return all;
  }

  private static boolean isDecompressionFailure(Throwable t) {
    String name = t.getClass().getName();
    return name.endsWith("DecompressionException") || name.endsWith(".DecoderException");
  }

  /** The last handler: whatever status Armeria chose, with a description fit for a client. */
  static GrpcExceptionHandlerFunction sanitized(GrpcExceptionHandlerFunction fallback) {
    return (ctx, status, cause, metadata) -> {
      Status chosen = fallback.apply(ctx, status, cause, metadata);
      if (chosen == null || chosen.getDescription() == null) {
        return chosen;
      }
      return chosen.withDescription(ClientMessages.forClient(chosen.getDescription()));
    };
  }
}
