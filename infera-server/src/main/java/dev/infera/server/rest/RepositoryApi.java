package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import dev.infera.core.lifecycle.RepositoryControl;
import dev.infera.core.lifecycle.VersionStatus;
import dev.infera.core.resilience.CircuitState;
import dev.infera.server.messages.ClientMessages;
import dev.infera.spi.InferenceException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The model repository extension over REST, in Triton's shapes:
 *
 * <pre>
 * POST /v2/repository/index                 [{"name","version","state","reason"}]; body {"ready": true}
 *                                           keeps READY versions only
 * POST /v2/repository/models/{m}/load       200 once loaded; body {"parameters": {"config": "JSON"}}
 *                                           loads with that ModelConfig instead of config.pbtxt
 * POST /v2/repository/models/{m}/unload     200 once unloaded and its resources freed; body
 *                                           {"parameters": {"unload_dependents": true}} accepted
 * </pre>
 *
 * An index entry leaves out {@code version} and {@code reason} when they are empty, as Triton does.
 * Failures are {@code {"error": "..."}} with the status from {@link HttpStatusMapping}: load or
 * unload outside EXPLICIT mode is FAILED_PRECONDITION (400). Nothing blocks the event loop.
 */
public final class RepositoryApi {
  private static final ObjectMapper MAPPER = new ObjectMapper(Json.FACTORY);
  private static final Set<String> LOAD_PARAMETERS = Set.of("config");
  private static final Set<String> UNLOAD_PARAMETERS = Set.of("unload_dependents");

  private final RepositoryControl control;

  public RepositoryApi(RepositoryControl control) {
    this.control = Objects.requireNonNull(control, "control");
  }

  /** Adds the three routes to {@code sb}. */
  public void mount(ServerBuilder sb) {
    post(sb, "/v2/repository/index", "kserve.repository.index", body -> index(body));
    post(
        sb,
        "/v2/repository/models/{model}/load",
        "kserve.repository.load",
        body -> load(MetadataServices.model(body.ctx()), body.json()));
    post(
        sb,
        "/v2/repository/models/{model}/unload",
        "kserve.repository.unload",
        body -> unload(MetadataServices.model(body.ctx()), body.json()));
  }

  private record Body(com.linecorp.armeria.server.ServiceRequestContext ctx, JsonNode json) {}

  private static void post(
      ServerBuilder sb,
      String path,
      String name,
      Function<Body, CompletableFuture<HttpResponse>> handler) {
    HttpService service =
        (ctx, req) ->
            HttpResponse.of(
                req.aggregate()
                    .thenCompose(body -> handler.apply(new Body(ctx, parse(body))))
                    .exceptionally(ErrorResponses::of));
    sb.route().post(path).defaultServiceName(name).build(service);
  }

  private CompletableFuture<HttpResponse> index(Body body) {
    boolean readyOnly = body.json().path("ready").asBoolean(false);
    ArrayNode models = MAPPER.createArrayNode();
    for (VersionStatus status : control.index(readyOnly)) {
      ObjectNode model = models.addObject().put("name", status.model());
      if (!status.version().isEmpty()) {
        model.put("version", status.version());
      }
      model.put("state", status.state().name());
      if (!status.reason().isEmpty()) {
        model.put("reason", ClientMessages.forClient(status.reason()));
      }
      if (status.circuit() != CircuitState.DISABLED) {
        model.put("circuit_breaker", status.circuit().name());
      }
    }
    return CompletableFuture.completedFuture(json(models));
  }

  private CompletableFuture<HttpResponse> load(String model, JsonNode body) {
    Map<String, JsonNode> parameters = parameters(body, LOAD_PARAMETERS);
    Optional<String> config = Optional.empty();
    JsonNode value = parameters.get("config");
    if (value != null) {
      if (!value.isTextual()) {
        throw InferenceException.invalidArgument(
            "parameter 'config' (expected a string holding a ModelConfig in JSON)");
      }
      config = Optional.of(value.asText());
    }
    return control.load(model, config).thenApply(ignored -> HttpResponse.of(HttpStatus.OK));
  }

  private CompletableFuture<HttpResponse> unload(String model, JsonNode body) {
    JsonNode dependents = parameters(body, UNLOAD_PARAMETERS).get("unload_dependents");
    if (dependents != null && !dependents.isBoolean()) {
      throw InferenceException.invalidArgument(
          "parameter 'unload_dependents' (expected true or false)");
    }
    return control
        .unload(model, dependents != null && dependents.asBoolean())
        .thenApply(ignored -> HttpResponse.of(HttpStatus.OK));
  }

  private static Map<String, JsonNode> parameters(JsonNode body, Set<String> known) {
    JsonNode parameters = body.path("parameters");
    if (parameters.isMissingNode() || parameters.isNull()) {
      return Map.of();
    }
    if (!parameters.isObject()) {
      throw InferenceException.invalidArgument("'parameters' (expected a JSON object)");
    }
    Map<String, JsonNode> found = new java.util.HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!known.contains(entry.getKey())) {
        throw InferenceException.invalidArgument(
            "unknown parameter '"
                + entry.getKey()
                + "' (expected one of: "
                + List.copyOf(known)
                + ")");
      }
      found.put(entry.getKey(), entry.getValue());
    }
    return found;
  }

  /** The body as a JSON object; an empty body is an empty object (also for the other APIs). */
  static JsonNode parse(AggregatedHttpRequest request) {
    return Json.parseObject(request.content().array());
  }

  static HttpResponse json(JsonNode body) {
    try {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
