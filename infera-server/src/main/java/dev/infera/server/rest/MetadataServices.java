package dev.infera.server.rest;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.core.InferenceService;
import dev.infera.server.messages.ClientMessages;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.Optional;

/**
 * The health, readiness and metadata endpoints. All answer on the event loop: the service's
 * metadata and readiness calls do not block.
 *
 * <p>A live or ready server answers 200 with the protocol's {@code {"live": true}} or {@code
 * {"ready": true}}, a ready model {@code {"name", "ready": true}} (Triton's clients read only the
 * status; KServe's read the body).
 *
 * <p>Model readiness: 200 when ready; for a model the service does not know, 404 with the service's
 * NOT_FOUND message; otherwise 503. (The protocol only says "not 200 means not ready"; 404 lets a
 * client tell a typo from a model still loading.)
 */
final class MetadataServices {
  static final String MODEL = "model";
  static final String VERSION = "version";

  private final InferenceService service;

  MetadataServices(InferenceService service) {
    this.service = service;
  }

  HttpResponse live() {
    return service.isLive()
        ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, MetadataEncoder.LIVE)
        : ErrorResponses.json(HttpStatus.SERVICE_UNAVAILABLE, "server is not live")
            .toHttpResponse();
  }

  HttpResponse ready() {
    return service.isReady()
        ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, MetadataEncoder.READY)
        : ErrorResponses.json(HttpStatus.SERVICE_UNAVAILABLE, "server is not ready")
            .toHttpResponse();
  }

  HttpResponse serverMetadata() {
    return HttpResponse.of(
        HttpStatus.OK, MediaType.JSON, MetadataEncoder.server(service.serverMetadata()));
  }

  HttpResponse modelMetadata(ServiceRequestContext ctx) {
    try {
      byte[] body = MetadataEncoder.model(service.modelMetadata(model(ctx), version(ctx)));
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON, body);
    } catch (RuntimeException e) {
      return ErrorResponses.of(e);
    }
  }

  HttpResponse modelReady(ServiceRequestContext ctx) {
    String model = model(ctx);
    Optional<String> version = version(ctx);
    try {
      if (service.isModelReady(model, version)) {
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON, MetadataEncoder.modelReady(model));
      }
      service.modelMetadata(model, version); // NOT_FOUND for an unknown model or version
      throw InferenceException.unavailable(describe(model, version) + " is not ready");
    } catch (InferenceException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        return ErrorResponses.of(e);
      }
      return ErrorResponses.json(
              HttpStatus.SERVICE_UNAVAILABLE, ClientMessages.forClient(e.getMessage()))
          .toHttpResponse();
    } catch (RuntimeException e) {
      return ErrorResponses.of(e);
    }
  }

  static String model(ServiceRequestContext ctx) {
    return ctx.pathParam(MODEL);
  }

  static Optional<String> version(ServiceRequestContext ctx) {
    return Optional.ofNullable(ctx.pathParam(VERSION));
  }

  private static String describe(String model, Optional<String> version) {
    return version.map(v -> "model '" + model + "' version " + v).orElse("model '" + model + "'");
  }
}
