package dev.infera.server.grpc;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.annotation.Nullable;
import com.linecorp.armeria.common.grpc.protocol.GrpcHeaderNames;
import com.linecorp.armeria.common.grpc.protocol.StatusMessageEscaper;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Status;

/**
 * The requests the gRPC endpoint turns away before any gRPC service sees them, answered as gRPC
 * answers them: a status in the trailers of an HTTP 200, which every gRPC client reads, instead of
 * a bare HTTP status, which clients report as {@code UNKNOWN}. A message that declares a length
 * over the limit is {@code RESOURCE_EXHAUSTED} (as the same message streamed without a length is);
 * a path that names no method is {@code UNIMPLEMENTED}. Anything else is left to Armeria.
 */
final class GrpcRejections implements ServerErrorHandler {
  private final long frameHeaderBytes;

  /**
   * @param frameHeaderBytes what the endpoint's body limit adds to the message limit
   */
  GrpcRejections(long frameHeaderBytes) {
    this.frameHeaderBytes = frameHeaderBytes;
  }

  @Override
  @Nullable
  public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    return null;
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
    MediaType type = headers == null ? null : headers.contentType();
    if (type == null || !type.subtype().startsWith("grpc")) {
      return null;
    }
    if (status.equals(HttpStatus.REQUEST_ENTITY_TOO_LARGE)) {
      String limit =
          cause instanceof ContentTooLargeException e && e.maxContentLength() > frameHeaderBytes
              ? " of " + (e.maxContentLength() - frameHeaderBytes) + " bytes"
              : "";
      return trailersOnly(
          type, Status.RESOURCE_EXHAUSTED, "request message is larger than the limit" + limit);
    }
    if (status.equals(HttpStatus.NOT_FOUND)) {
      return trailersOnly(
          type,
          Status.UNIMPLEMENTED,
          "no such method: "
              + headers.path()
              + " (this endpoint serves inference.GRPCInferenceService)");
    }
    return null;
  }

  private static AggregatedHttpResponse trailersOnly(
      MediaType type, Status status, String message) {
    return AggregatedHttpResponse.of(
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(type)
            .add(GrpcHeaderNames.GRPC_STATUS, Integer.toString(status.getCode().value()))
            .add(GrpcHeaderNames.GRPC_MESSAGE, StatusMessageEscaper.escape(message))
            .build());
  }
}
