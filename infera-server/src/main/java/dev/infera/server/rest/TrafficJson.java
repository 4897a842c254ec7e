package dev.infera.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infera.core.routing.Shadow;
import dev.infera.core.routing.TrafficPolicy;
import dev.infera.core.routing.Variant;
import dev.infera.core.routing.rollout.Check;
import dev.infera.core.routing.rollout.Decision;
import dev.infera.core.routing.rollout.FeedbackLedger.VariantFeedback;
import dev.infera.core.routing.rollout.Judgement;
import dev.infera.core.routing.rollout.RolloutStatus;
import dev.infera.core.routing.rollout.ShadowLedger.ShadowSummary;
import dev.infera.core.routing.rollout.VariantWindow;
import dev.infera.spi.InferenceException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON shapes of the traffic, rollout and feedback endpoints (docs/rollouts.md): strict reading
 * (unknown fields and wrong types are 400s naming the field) and writing.
 */
final class TrafficJson {
  static final ObjectMapper MAPPER = new ObjectMapper(Json.FACTORY);
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private TrafficJson() {}

  /** Refuses fields outside {@code known}. */
  static void onlyFields(JsonNode body, String what, Set<String> known) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw InferenceException.invalidArgument(
            what
                + ": unknown field '"
                + field
                + "' (expected: "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
      }
    }
  }

  static TrafficPolicy policy(String model, JsonNode body) {
    onlyFields(body, "traffic policy", Set.of("split", "sticky", "fallback", "shadow"));
    JsonNode split = body.path("split");
    if (!split.isArray() || split.isEmpty()) {
      throw InferenceException.invalidArgument(
          "traffic policy: 'split' (expected a non-empty array of {\"version\", \"weight\"})");
    }
    List<Variant> variants = new ArrayList<>();
    for (JsonNode entry : split) {
      onlyFields(entry, "traffic split entry", Set.of("model", "version", "weight"));
      variants.add(
          new Variant(
              text(entry, "model", model), version(entry, "version"), int32(entry, "weight", -1)));
    }
    Optional<Shadow> shadow = Optional.empty();
    JsonNode s = body.path("shadow");
    if (!s.isMissingNode() && !s.isNull()) {
      onlyFields(s, "shadow", Set.of("model", "version", "fraction"));
      shadow =
          Optional.of(
              new Shadow(
                  text(s, "model", model), version(s, "version"), number(s, "fraction", 1.0)));
    }
    return new TrafficPolicy(
        variants, bool(body, "sticky", true), shadow, bool(body, "fallback", true));
  }

  static ObjectNode policy(String model, TrafficPolicy policy, Map<String, ShadowSummary> shadows) {
    ObjectNode out = MAPPER.createObjectNode().put("model", model);
    ArrayNode split = out.putArray("split");
    for (Variant v : policy.split()) {
      split
          .addObject()
          .put("model", v.model())
          .put("version", Long.toString(v.version()))
          .put("weight", v.weight());
    }
    out.put("sticky", policy.sticky()).put("fallback", policy.fallback());
    policy
        .shadow()
        .ifPresent(
            s ->
                out.putObject("shadow")
                    .put("model", s.model())
                    .put("version", Long.toString(s.version()))
                    .put("fraction", s.fraction()));
    out.set("shadow_comparison", shadows(shadows));
    return out;
  }

  static ObjectNode shadows(Map<String, ShadowSummary> shadows) {
    ObjectNode out = MAPPER.createObjectNode();
    shadows.forEach(
        (variant, s) -> {
          ObjectNode v =
              out.putObject(variant)
                  .put("compared", s.compared())
                  .put("dropped", s.dropped())
                  .put("agreement_rate", s.agreementRate());
          ObjectNode outputs = v.putObject("outputs");
          s.outputs()
              .forEach(
                  (name, o) ->
                      outputs
                          .putObject(name)
                          .put("mean_abs_diff", o.meanAbsDiff())
                          .put("max_abs_diff", o.maxAbsDiff())
                          .put("class_agreement", o.classAgreement()));
        });
    return out;
  }

  static ObjectNode status(
      RolloutStatus status,
      Map<String, VariantWindow.Sample> windows,
      Map<String, VariantFeedback> feedback) {
    ObjectNode out =
        MAPPER
            .createObjectNode()
            .put("model", status.spec().model())
            .put("state", status.state().name())
            .put("step", status.step() + 1)
            .put("weight", status.weight())
            .put("stable", Long.toString(status.spec().stable()))
            .put("candidate", Long.toString(status.spec().candidate()))
            .put("reason", status.reason());
    ArrayNode steps = out.putArray("steps");
    status.spec().steps().forEach(steps::add);
    out.put("step_duration_ms", status.spec().stepMillis())
        .put("extensions", status.extensions())
        .put("max_extensions", status.spec().maxExtensions())
        .put("started_by", status.spec().startedBy())
        .put("step_started", Instant.ofEpochMilli(status.stepStartedMillis()).toString())
        .put("updated", Instant.ofEpochMilli(status.updatedMillis()).toString());
    if (!status.state().finished()) {
      out.put("step_due", Instant.ofEpochMilli(status.dueMillis()).toString());
    }
    var c = status.spec().criteria();
    out.putObject("criteria")
        .put("min_requests", c.minRequests())
        .put("max_error_rate_delta", c.maxErrorRateDelta())
        .put("max_p99_ratio", c.maxP99Ratio())
        .put("max_output_psi", c.maxOutputPsi())
        .put("max_ks", c.maxKs())
        .put("alpha", c.alpha());
    status.lastJudgement().ifPresent(j -> out.set("last_judgement", judgement(j)));
    ObjectNode window = out.putObject("window");
    windows.forEach(
        (variant, sample) ->
            window
                .putObject(variant)
                .put("requests", sample.requests())
                .put("errors", sample.errors()));
    out.set("feedback", feedback(feedback));
    return out;
  }

  static ObjectNode feedback(Map<String, VariantFeedback> feedback) {
    ObjectNode out = MAPPER.createObjectNode();
    feedback.forEach(
        (variant, f) ->
            out.putObject(variant)
                .put("labelled", f.labelled())
                .put("accuracy", f.accuracy())
                .put("accuracy_ci95_low", f.accuracyLow())
                .put("accuracy_ci95_high", f.accuracyHigh())
                .put("rewarded", f.rewarded())
                .put("mean_reward", f.meanReward())
                .put("reward_ci95_low", f.rewardLow())
                .put("reward_ci95_high", f.rewardHigh()));
    return out;
  }

  static ObjectNode judgement(Judgement judgement) {
    ObjectNode out =
        MAPPER
            .createObjectNode()
            .put("verdict", judgement.verdict().name())
            .put("at", Instant.ofEpochMilli(judgement.atMillis()).toString());
    ArrayNode checks = out.putArray("checks");
    for (Check check : judgement.checks()) {
      ObjectNode node =
          checks
              .addObject()
              .put("name", check.name())
              .put("verdict", check.verdict().name())
              .put("detail", check.detail());
      ObjectNode figures = node.putObject("figures");
      check.figures().forEach((k, v) -> figures.put(k, Double.isFinite(v) ? v : null));
    }
    return out;
  }

  static ArrayNode history(List<Decision> decisions) {
    ArrayNode out = MAPPER.createArrayNode();
    for (Decision d : decisions) {
      ObjectNode node =
          out.addObject()
              .put("at", Instant.ofEpochMilli(d.atMillis()).toString())
              .put("decision", d.kind())
              .put("by", d.by())
              .put("reason", d.reason());
      if (!d.kind().equals("policy")) {
        node.put("stable", Long.toString(d.stable()))
            .put("candidate", Long.toString(d.candidate()))
            .put("step", d.step() + 1)
            .put("weight", d.weight());
      }
      d.judgement().ifPresent(j -> node.set("judgement", judgement(j)));
    }
    return out;
  }

  static Duration duration(JsonNode body, String field, Duration fallback) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    Matcher m = node.isTextual() ? DURATION.matcher(node.asText().trim()) : null;
    if (m == null || !m.matches()) {
      throw InferenceException.invalidArgument(
          "'"
              + field
              + "': "
              + node
              + " (expected a duration such as \"500ms\", \"60s\", \"5m\" or \"1h\")");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  static List<Integer> steps(JsonNode body, List<Integer> fallback) {
    JsonNode node = body.path("steps");
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isArray()) {
      throw InferenceException.invalidArgument(
          "'steps' (expected an array of percentages such as [5, 25, 50, 100])");
    }
    List<Integer> steps = new ArrayList<>();
    for (JsonNode step : node) {
      if (!step.canConvertToInt() || !step.isIntegralNumber()) {
        throw InferenceException.invalidArgument(
            "'steps': " + step + " (expected whole percentages from 1 to 100)");
      }
      steps.add(step.asInt());
    }
    return steps;
  }

  static long version(JsonNode body, String field) {
    JsonNode node = body.path(field);
    String text = node.isTextual() ? node.asText() : node.isIntegralNumber() ? node.asText() : null;
    if (text == null) {
      throw InferenceException.invalidArgument(
          "'" + field + "' (expected a version such as \"2\")");
    }
    try {
      long v = Long.parseLong(text);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InferenceException.invalidArgument(
        "'" + field + "': '" + text + "' (expected a non-negative integer)");
  }

  static Optional<Long> optionalVersion(JsonNode body, String field) {
    JsonNode node = body.path(field);
    return node.isMissingNode() || node.isNull()
        ? Optional.empty()
        : Optional.of(version(body, field));
  }

  static String text(JsonNode body, String field, String fallback) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isTextual() || node.asText().isEmpty()) {
      throw InferenceException.invalidArgument(
          "'" + field + "': " + node + " (expected a non-empty string)");
    }
    return node.asText();
  }

  static long integer(JsonNode body, String field, long fallback) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      if (fallback < 0) {
        throw InferenceException.invalidArgument(
            "'" + field + "' is missing (expected a whole number)");
      }
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw InferenceException.invalidArgument(
          "'" + field + "': " + node + " (expected a whole number)");
    }
    return node.asLong();
  }

  /** {@link #integer}, within Java's {@code int}: a larger value is named, never wrapped. */
  static int int32(JsonNode body, String field, int fallback) {
    long value = integer(body, field, fallback);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw InferenceException.invalidArgument(
          "'"
              + field
              + "': "
              + value
              + " (expected a whole number of at most "
              + Integer.MAX_VALUE
              + ")");
    }
    return (int) value;
  }

  static double number(JsonNode body, String field, double fallback) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
      throw InferenceException.invalidArgument(
          "'" + field + "': " + node + " (expected a finite number)");
    }
    return node.asDouble();
  }

  static Optional<Double> optionalNumber(JsonNode body, String field) {
    JsonNode node = body.path(field);
    return node.isMissingNode() || node.isNull()
        ? Optional.empty()
        : Optional.of(number(body, field, 0));
  }

  static boolean bool(JsonNode body, String field, boolean fallback) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw InferenceException.invalidArgument(
          "'" + field + "': " + node + " (expected true or false)");
    }
    return node.asBoolean();
  }
}
