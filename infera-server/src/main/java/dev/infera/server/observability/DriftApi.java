package dev.infera.server.observability;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.core.monitoring.DriftMonitoring;
import dev.infera.core.monitoring.DriftReport;
import dev.infera.core.routing.RoutedVersion;
import dev.infera.core.routing.Router;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v2/models/{model}[/versions/{version}]/drift}: drift monitoring's report of the
 * version a request would be routed to (or the one named), most drifted features first. Errors go
 * through the REST error handler like every other route.
 */
public final class DriftApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Router router;
  private final Optional<DriftMonitoring> monitoring;

  /**
   * @param router resolves a request without a version to the version it would reach
   * @param monitoring drift monitoring, when it is on
   */
  public DriftApi(Router router, Optional<DriftMonitoring> monitoring) {
    this.router = router;
    this.monitoring = monitoring;
  }

  public void mount(ServerBuilder sb) {
    sb.route()
        .get("/v2/models/{model}/drift")
        .defaultServiceName("drift")
        .build((ctx, req) -> report(ctx, Optional.empty()));
    sb.route()
        .get("/v2/models/{model}/versions/{version}/drift")
        .defaultServiceName("drift")
        .build((ctx, req) -> report(ctx, Optional.of(ctx.pathParam("version"))));
  }

  private HttpResponse report(ServiceRequestContext ctx, Optional<String> version)
      throws IOException {
    String model = ctx.pathParam("model");
    RoutedVersion routed = router.route(model, version, Optional.empty()).version();
    String number = Long.toString(routed.version());
    if (monitoring.isEmpty() || !monitoring.get().watches(model)) {
      throw new InferenceException(
          ErrorCode.FAILED_PRECONDITION,
          "drift monitoring is off for model '"
              + model
              + "' (start the server with --drift-models "
              + model
              + " or --drift-models '*')");
    }
    Optional<DriftReport> report = monitoring.get().report(model, number);
    return HttpResponse.of(
        HttpStatus.OK, MediaType.JSON_UTF_8, toJson(model, number, report, monitoring.get()));
  }

  private static String toJson(
      String model, String version, Optional<DriftReport> found, DriftMonitoring monitoring)
      throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("model", model);
      json.writeStringField("version", version);
      json.writeNumberField("window_seconds", monitoring.settings().window().toSeconds());
      json.writeNumberField("psi_threshold", monitoring.settings().psiThreshold());
      if (found.isEmpty()) {
        json.writeStringField("reference", "building");
        json.writeNumberField("reference_rows", 0);
        json.writeNumberField("rows", 0);
        json.writeArrayFieldStart("features");
        json.writeEndArray();
      } else {
        write(json, found.get());
      }
      json.writeEndObject();
    }
    return out.toString();
  }

  private static void write(JsonGenerator json, DriftReport report) throws IOException {
    json.writeStringField("reference", report.reference());
    json.writeNumberField("reference_rows", report.referenceRows());
    if (report.profileProblem().isPresent()) {
      json.writeStringField("profile_problem", report.profileProblem().get());
    }
    json.writeNumberField("rows", report.rows());
    json.writeNumberField("rejected", report.rejected());
    json.writeNumberField("sketch_bytes", report.sketchBytes());
    List<DriftReport.Feature> drifted = report.drifted();
    json.writeArrayFieldStart("drifted");
    for (DriftReport.Feature feature : drifted) {
      json.writeString(feature.name());
    }
    json.writeEndArray();
    json.writeArrayFieldStart("features");
    for (DriftReport.Feature feature : report.features()) {
      json.writeStartObject();
      json.writeStringField("name", feature.name());
      json.writeStringField("kind", feature.kind().name().toLowerCase());
      json.writeStringField("method", feature.method());
      number(json, "score", feature.score());
      number(json, "threshold", feature.threshold());
      json.writeBooleanField("drifted", feature.drifted());
      number(json, "psi", feature.psi());
      number(json, "ks", feature.ks());
      json.writeNumberField("reference_count", feature.referenceCount());
      json.writeNumberField("window_count", feature.windowCount());
      json.writeObjectFieldStart("quality");
      json.writeNumberField("nan", feature.quality().nan());
      json.writeNumberField("inf", feature.quality().infinite());
      json.writeNumberField("out_of_range", feature.quality().outOfRange());
      json.writeNumberField("unknown_category", feature.quality().unknownCategory());
      json.writeEndObject();
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** A number, or null while it is undefined (JSON has no NaN). */
  private static void number(JsonGenerator json, String name, double value) throws IOException {
    if (Double.isNaN(value)) {
      json.writeNullField(name);
    } else {
      json.writeNumberField(name, value);
    }
  }
}
