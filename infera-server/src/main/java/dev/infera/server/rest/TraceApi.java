package dev.infera.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.core.InferenceService;
import dev.infera.server.tracing.TraceControl;
import dev.infera.spi.InferenceException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Triton's trace extension over REST:
 *
 * <pre>
 * GET  /v2/trace/setting                  the global trace settings
 * POST /v2/trace/setting                  changes the settings the body names, all or none
 * GET  /v2/models/{model}/trace/setting   the model's settings (its own, else the global ones)
 * POST /v2/models/{model}/trace/setting   changes the model's own settings
 * </pre>
 *
 * Bodies are Triton's: {@code {"trace_level": ["TIMESTAMPS"], "trace_rate": "100", "trace_count":
 * "-1"}}; a value may be a string, a number or a list of strings, and {@code null} clears the
 * setting (a model's then follows the global one). Answers carry {@code trace_level} as a list and
 * the others as strings. See {@link TraceControl#update} for the rules.
 */
public final class TraceApi {
  private static final ObjectMapper MAPPER = new ObjectMapper(Json.FACTORY);
  private static final String LEVEL = "trace_level";

  private final TraceControl control;
  private final InferenceService service;

  /**
   * @param service tells whether a model named in a path exists
   */
  public TraceApi(TraceControl control, InferenceService service) {
    this.control = Objects.requireNonNull(control, "control");
    this.service = Objects.requireNonNull(service, "service");
  }

  /** Adds the four routes to {@code sb}. */
  public void mount(ServerBuilder sb) {
    sb.route()
        .get("/v2/trace/setting")
        .defaultServiceName("kserve.trace.get")
        .build((ctx, req) -> answer(control.settings(Optional.empty())));
    sb.route()
        .post("/v2/trace/setting")
        .defaultServiceName("kserve.trace.set")
        .build((ctx, req) -> update(req, Optional.empty()));
    sb.route()
        .get("/v2/models/{model}/trace/setting")
        .defaultServiceName("kserve.trace.get")
        .build((ctx, req) -> answer(control.settings(Optional.of(model(ctx)))));
    sb.route()
        .post("/v2/models/{model}/trace/setting")
        .defaultServiceName("kserve.trace.set")
        .build((ctx, req) -> update(req, Optional.of(model(ctx))));
  }

  private String model(ServiceRequestContext ctx) {
    return TraceControl.knownModel(service, MetadataServices.model(ctx));
  }

  private HttpResponse update(com.linecorp.armeria.common.HttpRequest req, Optional<String> model) {
    return HttpResponse.of(
        req.aggregate()
            .thenApply(body -> answer(control.update(model, changes(RepositoryApi.parse(body)))))
            .exceptionally(ErrorResponses::of));
  }

  private static Map<String, List<String>> changes(JsonNode body) {
    Map<String, List<String>> changes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      changes.put(entry.getKey(), values(entry.getKey(), entry.getValue()));
    }
    return changes;
  }

  private static List<String> values(String name, JsonNode node) {
    if (node.isNull()) {
      return List.of();
    }
    if (node.isTextual() || node.isIntegralNumber()) {
      return List.of(node.asText());
    }
    if (node.isArray()) {
      List<String> values = new ArrayList<>();
      for (JsonNode element : node) {
        if (!element.isTextual()) {
          break;
        }
        values.add(element.textValue());
      }
      if (values.size() == node.size()) {
        return values;
      }
    }
    throw InferenceException.invalidArgument(
        "trace setting '"
            + name
            + "': "
            + node
            + " (expected a string, an integer, a list of strings, or null to clear it)");
  }

  private static HttpResponse answer(Map<String, List<String>> settings) {
    ObjectNode body = MAPPER.createObjectNode();
    settings.forEach(
        (name, values) -> {
          if (name.equals(LEVEL)) {
            ArrayNode list = body.putArray(name);
            values.forEach(list::add);
          } else {
            body.put(name, String.join(",", values));
          }
        });
    return RepositoryApi.json(body);
  }
}
