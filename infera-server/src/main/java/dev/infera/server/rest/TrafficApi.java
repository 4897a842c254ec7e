package dev.infera.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.infera.core.routing.rollout.Criteria;
import dev.infera.core.routing.rollout.RolloutSpec;
import dev.infera.core.routing.rollout.RolloutStatus;
import dev.infera.core.routing.rollout.TrafficManager;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Traffic policies, canary rollouts and feedback over REST (docs/rollouts.md):
 *
 * <pre>
 * GET|PUT|DELETE /v2/models/{m}/traffic        the model's traffic policy (split, sticky, shadow,
 *                                              fallback) and its shadow comparison
 * POST /v2/models/{m}/rollout                  start a canary rollout
 * GET  /v2/models/{m}/rollout                  its status and last judgement
 * POST /v2/models/{m}/rollout/promote|abort    end it by hand
 * GET  /v2/models/{m}/rollout/history          every decision, oldest first
 * POST /v2/models/{m}/feedback                 {"id", "ground_truth" | "reward"}
 * </pre>
 *
 * Failures are {@code {"error": "..."}} with the status of {@link HttpStatusMapping}. The work is
 * in memory and quick; it runs on the event loop except the state store's write, which is a small
 * file written and renamed (milliseconds).
 */
public final class TrafficApi {
  private static final Set<String> ROLLOUT_FIELDS =
      Set.of(
          "candidate",
          "stable",
          "steps",
          "step_duration",
          "max_extensions",
          "min_requests",
          "max_error_rate_delta",
          "max_p99_ratio",
          "max_output_psi",
          "max_ks",
          "alpha");

  private final TrafficManager traffic;

  public TrafficApi(TrafficManager traffic) {
    this.traffic = Objects.requireNonNull(traffic, "traffic");
  }

  public void mount(ServerBuilder sb) {
    route(
        sb,
        HttpMethod.GET,
        "/v2/models/{model}/traffic",
        "infera.traffic.get",
        c -> getPolicy(c.model()));
    route(sb, HttpMethod.PUT, "/v2/models/{model}/traffic", "infera.traffic.set", this::setPolicy);
    route(
        sb,
        HttpMethod.DELETE,
        "/v2/models/{model}/traffic",
        "infera.traffic.clear",
        c -> {
          traffic.clearPolicy(c.model(), c.by());
          return HttpResponse.of(HttpStatus.OK);
        });
    route(sb, HttpMethod.POST, "/v2/models/{model}/rollout", "infera.rollout.start", this::start);
    route(
        sb,
        HttpMethod.GET,
        "/v2/models/{model}/rollout",
        "infera.rollout.status",
        c -> status(c.model()));
    route(
        sb,
        HttpMethod.POST,
        "/v2/models/{model}/rollout/promote",
        "infera.rollout.promote",
        c -> {
          traffic.promote(c.model(), c.by());
          return status(c.model());
        });
    route(
        sb,
        HttpMethod.POST,
        "/v2/models/{model}/rollout/abort",
        "infera.rollout.abort",
        c -> {
          traffic.abort(c.model(), c.by());
          return status(c.model());
        });
    route(
        sb,
        HttpMethod.GET,
        "/v2/models/{model}/rollout/history",
        "infera.rollout.history",
        c -> json(TrafficJson.history(traffic.history(c.model()))));
    route(sb, HttpMethod.POST, "/v2/models/{model}/feedback", "infera.feedback", this::feedback);
  }

  private HttpResponse getPolicy(String model) {
    return json(
        TrafficJson.policy(
            model,
            traffic
                .policy(model)
                .orElseThrow(
                    () ->
                        new InferenceException(
                            ErrorCode.NOT_FOUND, "model '" + model + "' has no traffic policy")),
            traffic.shadowSummary(model)));
  }

  private HttpResponse setPolicy(Call call) {
    traffic.setPolicy(call.model(), TrafficJson.policy(call.model(), call.body()), call.by());
    return getPolicy(call.model());
  }

  private HttpResponse start(Call call) {
    String model = call.model();
    JsonNode body = call.body();
    TrafficJson.onlyFields(body, "rollout", ROLLOUT_FIELDS);
    Criteria d = Criteria.DEFAULTS;
    Criteria criteria =
        new Criteria(
            TrafficJson.integer(body, "min_requests", d.minRequests()),
            TrafficJson.number(body, "max_error_rate_delta", d.maxErrorRateDelta()),
            TrafficJson.number(body, "max_p99_ratio", d.maxP99Ratio()),
            TrafficJson.number(body, "max_output_psi", d.maxOutputPsi()),
            TrafficJson.number(body, "max_ks", d.maxKs()),
            TrafficJson.number(body, "alpha", d.alpha()));
    RolloutStatus status =
        traffic.startRollout(
            model,
            TrafficJson.optionalVersion(body, "stable"),
            TrafficJson.version(body, "candidate"),
            TrafficJson.steps(body, RolloutSpec.DEFAULT_STEPS),
            TrafficJson.duration(body, "step_duration", RolloutSpec.DEFAULT_STEP),
            (int) TrafficJson.integer(body, "max_extensions", RolloutSpec.DEFAULT_EXTENSIONS),
            criteria,
            call.by());
    return status(status.spec().model());
  }

  private HttpResponse status(String model) {
    return json(
        TrafficJson.status(
            traffic.status(model), traffic.windows(model), traffic.feedbackSummary(model)));
  }

  private HttpResponse feedback(Call call) {
    String model = call.model();
    JsonNode body = call.body();
    TrafficJson.onlyFields(body, "feedback", Set.of("id", "ground_truth", "reward"));
    String id = TrafficJson.text(body, "id", null);
    if (id == null) {
      throw InferenceException.invalidArgument(
          "feedback: 'id' is missing (expected the request id)");
    }
    String variant =
        traffic.feedback(
            model,
            id,
            TrafficJson.optionalNumber(body, "ground_truth"),
            TrafficJson.optionalNumber(body, "reward"));
    return json(TrafficJson.MAPPER.createObjectNode().put("id", id).put("variant", variant));
  }

  /** One call: the model named by the path, the JSON body, and who made it (for the history). */
  private record Call(String model, JsonNode body, String by) {}

  /** Who made a change: the {@code x-infera-user} header, else "api". */
  private static String by(ServiceRequestContext ctx) {
    String user = ctx.request().headers().get("x-infera-user");
    return user == null || user.isBlank() ? "api" : user;
  }

  private static void route(
      ServerBuilder sb,
      HttpMethod method,
      String path,
      String name,
      Function<Call, HttpResponse> handler) {
    HttpService service =
        (ctx, req) ->
            HttpResponse.of(
                req.aggregate()
                    .thenApply(
                        body ->
                            handler.apply(
                                new Call(
                                    MetadataServices.model(ctx),
                                    RepositoryApi.parse(body),
                                    by(ctx))))
                    .exceptionally(ErrorResponses::of));
    sb.route().methods(method).path(path).defaultServiceName(name).build(service);
  }

  private static HttpResponse json(JsonNode body) {
    return RepositoryApi.json(body);
  }
}
