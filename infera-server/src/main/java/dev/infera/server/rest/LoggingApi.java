package dev.infera.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServerBuilder;
import dev.infera.server.logging.LogControl;
import dev.infera.spi.InferenceException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Triton's logging extension over REST:
 *
 * <pre>
 * GET  /v2/logging    the settings in force: {"log_file", "log_info", "log_warning", "log_error",
 *                     "log_verbose_level", "log_format"}
 * POST /v2/logging    changes the settings the body names (same names and types), all or none;
 *                     answers the settings in force afterwards
 * </pre>
 *
 * A bad name or value is 400 naming it; see {@link LogControl#update} for each setting's rules.
 * Both answer on the event loop: a settings change does not block.
 */
public final class LoggingApi {
  private static final ObjectMapper MAPPER = new ObjectMapper(Json.FACTORY);

  private final LogControl control;

  public LoggingApi(LogControl control) {
    this.control = Objects.requireNonNull(control, "control");
  }

  /** Adds the two routes to {@code sb}. */
  public void mount(ServerBuilder sb) {
    sb.route()
        .get("/v2/logging")
        .defaultServiceName("kserve.logging.get")
        .build((ctx, req) -> settings());
    sb.route()
        .post("/v2/logging")
        .defaultServiceName("kserve.logging.set")
        .build(
            (ctx, req) ->
                HttpResponse.of(
                    req.aggregate()
                        .thenApply(body -> update(RepositoryApi.parse(body)))
                        .exceptionally(ErrorResponses::of)));
  }

  private HttpResponse settings() {
    ObjectNode body = MAPPER.createObjectNode();
    control.asMap().forEach((name, value) -> body.set(name, MAPPER.valueToTree(value)));
    return RepositoryApi.json(body);
  }

  private HttpResponse update(JsonNode body) {
    Map<String, Object> changes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      changes.put(entry.getKey(), value(entry.getKey(), entry.getValue()));
    }
    control.update(changes);
    return settings();
  }

  private static Object value(String name, JsonNode node) {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? node.longValue() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    throw InferenceException.invalidArgument(
        "log setting '" + name + "': " + node + " (expected a string, a boolean or a number)");
  }
}
