package dev.infera.core.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one step behaves beyond Triton's ensemble: Infera's extension, declared in the ensemble's
 * {@code parameters} as {@code infera.step.<index or model>} with a value such as {@code "soft;
 * timeout_ms=50; retry=1; fallback_model=small"} (docs/pipelines.md). Immutable.
 *
 * @param soft a soft step's failure leaves its outputs absent (or {@code fallbackValue}) and is
 *     reported in the response parameters; a hard step's failure fails the request
 * @param timeout how long one attempt may take, within the request's deadline; empty for none
 * @param retries 0 or 1: attempts after a failed one (never after a bad request or a cancellation)
 * @param fallbackModel a model with the step's inputs and outputs that answers when the step fails
 * @param fallbackValue a constant for every element of the step's outputs when it fails (and when
 *     its condition does not hold)
 * @param when the step runs only when every element of an earlier tensor satisfies this
 * @param cascade only the rows whose confidence (the largest value of the row in the condition's
 *     tensor) satisfies this go to the step; the others keep the rows of {@code cascadeOver}
 * @param cascadeOver per output of the step, in output-map order, the earlier tensor whose rows it
 *     replaces; defaults to the cascade condition's tensor
 * @param routeBy the earlier tensor (one element per row) whose value picks the model for each row
 * @param routes value → model for {@code routeBy}; other values go to the step's own model
 */
public record StepPolicy(
    boolean soft,
    Optional<Duration> timeout,
    int retries,
    Optional<String> fallbackModel,
    Optional<Double> fallbackValue,
    Optional<Condition> when,
    Optional<Condition> cascade,
    List<String> cascadeOver,
    Optional<String> routeBy,
    Map<Double, String> routes) {

  /** Triton's step: hard, no timeout, no retry, no fallback, unconditional. */
  public static final StepPolicy TRITON =
      new StepPolicy(
          false,
          Optional.empty(),
          0,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          Optional.empty(),
          Map.of());

  public StepPolicy {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(fallbackModel, "fallbackModel");
    Objects.requireNonNull(fallbackValue, "fallbackValue");
    Objects.requireNonNull(when, "when");
    Objects.requireNonNull(cascade, "cascade");
    cascadeOver = List.copyOf(cascadeOver);
    Objects.requireNonNull(routeBy, "routeBy");
    routes = Map.copyOf(routes);
    if (retries < 0 || retries > 1) {
      throw new IllegalArgumentException("retry=" + retries + " (expected 0 or 1)");
    }
  }

  /** The models the step may run besides its own: its fallback and its routes. */
  public List<String> otherModels() {
    List<String> models = new ArrayList<>();
    fallbackModel.ifPresent(models::add);
    routes.values().stream().distinct().forEach(models::add);
    return models;
  }

  /** The earlier tensors the policy reads besides the step's inputs. */
  public List<String> readTensors() {
    List<String> tensors = new ArrayList<>();
    when.ifPresent(c -> tensors.add(c.tensor()));
    cascade.ifPresent(c -> tensors.add(c.tensor()));
    tensors.addAll(cascadeOver);
    routeBy.ifPresent(tensors::add);
    return tensors;
  }

  /**
   * Parses a policy: items separated by {@code ;}, each {@code soft}, {@code hard}, or {@code
   * key=value}.
   *
   * @throws IllegalArgumentException naming the item and what was expected
   */
  public static StepPolicy parse(String text) {
    boolean soft = false;
    Optional<Duration> timeout = Optional.empty();
    int retries = 0;
    Optional<String> fallbackModel = Optional.empty();
    Optional<Double> fallbackValue = Optional.empty();
    Optional<Condition> when = Optional.empty();
    Optional<Condition> cascade = Optional.empty();
    List<String> over = List.of();
    Optional<String> routeBy = Optional.empty();
    Map<Double, String> routes = Map.of();
    for (String raw : text.split(";")) {
      String item = raw.trim();
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      String key = eq < 0 ? item : item.substring(0, eq).trim();
      String value = eq < 0 ? "" : item.substring(eq + 1).trim();
      switch (key) {
        case "soft" -> soft = true;
        case "hard" -> soft = false;
        case "timeout_ms" -> timeout = Optional.of(Duration.ofMillis(positive(key, value)));
        case "retry" -> retries = (int) Math.min(positive(key, value), 2);
        case "fallback_model" -> fallbackModel = Optional.of(named(key, value));
        case "fallback_value" -> fallbackValue = Optional.of(number(key, value));
        case "when" -> when = Optional.of(Condition.parse(value));
        case "cascade" -> cascade = Optional.of(cascadeCondition(value));
        case "over" -> over = List.of(named(key, value).split("\\s*,\\s*"));
        case "route_by" -> routeBy = Optional.of(named(key, value));
        case "routes" -> routes = routes(value);
        default ->
            throw new IllegalArgumentException(
                "unknown item '"
                    + item
                    + "' (expected soft, hard, timeout_ms=, retry=, fallback_model=,"
                    + " fallback_value=, when=, cascade=, over=, route_by=, routes=)");
      }
    }
    if (routeBy.isPresent() != !routes.isEmpty()) {
      throw new IllegalArgumentException("route_by= and routes= go together");
    }
    if (!over.isEmpty() && cascade.isEmpty()) {
      throw new IllegalArgumentException("over= needs cascade=");
    }
    if (cascade.isPresent() && routeBy.isPresent()) {
      throw new IllegalArgumentException("a step is a cascade or a router, not both");
    }
    return new StepPolicy(
        soft, timeout, retries, fallbackModel, fallbackValue, when, cascade, over, routeBy, routes);
  }

  private static Condition cascadeCondition(String value) {
    Condition condition = Condition.parse(value);
    if (condition.op() != Condition.Op.LT && condition.op() != Condition.Op.LE) {
      throw new IllegalArgumentException(
          "cascade=" + value + " (expected TENSOR<THRESHOLD or TENSOR<=THRESHOLD)");
    }
    return condition;
  }

  private static Map<Double, String> routes(String value) {
    Map<Double, String> routes = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      String[] parts = pair.split(":");
      if (parts.length != 2 || parts[1].isBlank()) {
        throw new IllegalArgumentException(
            "routes=" + value + " (expected VALUE:MODEL pairs separated by commas)");
      }
      routes.put(number("routes", parts[0].trim()), parts[1].trim());
    }
    return routes;
  }

  private static long positive(String key, String value) {
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + "=" + value + " (expected a non-negative integer)");
  }

  private static double number(String key, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + "=" + value + " (expected a number)");
    }
  }

  private static String named(String key, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(key + "= needs a name");
    }
    return value;
  }
}
