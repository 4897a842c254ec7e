package dev.infera.server.rest;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.core.InferenceService;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.server.extension.StatisticsMessages;
import dev.infera.server.extension.TritonJson;
import java.util.Optional;

/**
 * Triton's statistics and model configuration extensions over REST. Both answer on the event loop:
 * the service reads counters and an immutable configuration without blocking.
 *
 * <pre>
 * GET /v2/models/stats                                every ready version of every model
 * GET /v2/models/{m}[/versions/{v}]/stats             every ready version of m, or version v
 * GET /v2/models/{m}[/versions/{v}]/config            the effective configuration
 * </pre>
 */
final class ExtensionServices {
  private final InferenceService service;

  ExtensionServices(InferenceService service) {
    this.service = service;
  }

  HttpResponse statistics(ServiceRequestContext ctx) {
    try {
      Optional<String> model = Optional.ofNullable(ctx.pathParam(MetadataServices.MODEL));
      return ok(
          TritonJson.print(
              StatisticsMessages.response(
                  service.modelStatistics(model, MetadataServices.version(ctx)))));
    } catch (RuntimeException e) {
      return ErrorResponses.of(e);
    }
  }

  HttpResponse config(ServiceRequestContext ctx) {
    try {
      ModelConfig config =
          service.modelConfig(MetadataServices.model(ctx), MetadataServices.version(ctx));
      return ok(TritonJson.print(config));
    } catch (RuntimeException e) {
      return ErrorResponses.of(e);
    }
  }

  private static HttpResponse ok(byte[] body) {
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON, body);
  }
}
