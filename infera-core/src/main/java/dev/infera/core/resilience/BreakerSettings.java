package dev.infera.core.resilience;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelParameter;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How one model version's circuit breaker behaves. Defaults live in {@link #DEFAULTS}; a model
 * overrides any of them with configuration {@code parameters} named {@code circuit_breaker_*}.
 *
 * @param enabled whether the version has a breaker at all ({@code circuit_breaker_enabled})
 * @param failureRatePercent the share of failed executions, among the last {@code windowSize}
 *     requests, at which the breaker opens ({@code circuit_breaker_failure_rate}, 1 to 100)
 * @param windowSize how many of the latest outcomes count ({@code circuit_breaker_window})
 * @param minimumCalls how many outcomes must be counted before the rate means anything ({@code
 *     circuit_breaker_minimum_calls})
 * @param waitInOpen how long the breaker stays open before probing ({@code
 *     circuit_breaker_wait_ms})
 * @param halfOpenCalls how many probe requests decide between closing and opening again ({@code
 *     circuit_breaker_half_open_calls})
 */
public record BreakerSettings(
    boolean enabled,
    float failureRatePercent,
    int windowSize,
    int minimumCalls,
    Duration waitInOpen,
    int halfOpenCalls) {

  public static final String ENABLED = "circuit_breaker_enabled";
  public static final String FAILURE_RATE = "circuit_breaker_failure_rate";
  public static final String WINDOW = "circuit_breaker_window";
  public static final String MINIMUM_CALLS = "circuit_breaker_minimum_calls";
  public static final String WAIT_MS = "circuit_breaker_wait_ms";
  public static final String HALF_OPEN_CALLS = "circuit_breaker_half_open_calls";

  /** On; opens when half of the last 20 requests (at least 10 counted) failed; waits 10 s. */
  public static final BreakerSettings DEFAULTS =
      new BreakerSettings(true, 50f, 20, 10, Duration.ofSeconds(10), 3);

  public BreakerSettings {
    List<String> problems = new ArrayList<>();
    if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
      problems.add(FAILURE_RATE + " " + failureRatePercent + " (expected 1 to 100)");
    }
    if (windowSize < 1) {
      problems.add(WINDOW + " " + windowSize + " (expected >= 1)");
    }
    if (minimumCalls < 1) {
      problems.add(MINIMUM_CALLS + " " + minimumCalls + " (expected >= 1)");
    }
    if (waitInOpen == null || waitInOpen.isNegative() || waitInOpen.isZero()) {
      problems.add(WAIT_MS + " " + waitInOpen + " (expected > 0)");
    }
    if (halfOpenCalls < 1) {
      problems.add(HALF_OPEN_CALLS + " " + halfOpenCalls + " (expected >= 1)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("circuit breaker: " + String.join("; ", problems));
    }
  }

  /**
   * The settings a model's configuration asks for, starting from {@code defaults}.
   *
   * @throws InferenceException INVALID_ARGUMENT listing every malformed {@code circuit_breaker_*}
   *     parameter
   */
  public static BreakerSettings of(ModelConfig config, BreakerSettings defaults) {
    Map<String, ModelParameter> parameters = config.getParametersMap();
    List<String> problems = new ArrayList<>();
    Parser parser = new Parser(parameters, problems);
    boolean enabled = parser.bool(ENABLED, defaults.enabled());
    float rate = (float) parser.number(FAILURE_RATE, defaults.failureRatePercent());
    int window = (int) parser.integer(WINDOW, defaults.windowSize());
    int minimum = (int) parser.integer(MINIMUM_CALLS, defaults.minimumCalls());
    long waitMs = parser.integer(WAIT_MS, defaults.waitInOpen().toMillis());
    int halfOpen = (int) parser.integer(HALF_OPEN_CALLS, defaults.halfOpenCalls());
    if (problems.isEmpty()) {
      try {
        return new BreakerSettings(
            enabled, rate, window, minimum, Duration.ofMillis(waitMs), halfOpen);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    throw new InferenceException(
        ErrorCode.INVALID_ARGUMENT,
        "model '" + config.getName() + "': bad parameters: " + String.join("; ", problems));
  }

  /** Reads parameter values, collecting every problem. */
  private record Parser(Map<String, ModelParameter> parameters, List<String> problems) {
    boolean bool(String key, boolean fallback) {
      ModelParameter value = parameters.get(key);
      if (value == null) {
        return fallback;
      }
      String text = value.getStringValue().trim();
      if (text.equals("true") || text.equals("1")) {
        return true;
      }
      if (text.equals("false") || text.equals("0")) {
        return false;
      }
      problems.add(key + " '" + text + "' (expected true or false)");
      return fallback;
    }

    long integer(String key, long fallback) {
      ModelParameter value = parameters.get(key);
      if (value == null) {
        return fallback;
      }
      String text = value.getStringValue().trim();
      try {
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Long.parseLong(text)));
      } catch (NumberFormatException e) {
        problems.add(key + " '" + text + "' (expected an integer)");
        return fallback;
      }
    }

    double number(String key, double fallback) {
      ModelParameter value = parameters.get(key);
      if (value == null) {
        return fallback;
      }
      String text = value.getStringValue().trim();
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        problems.add(key + " '" + text + "' (expected a number)");
        return fallback;
      }
    }
  }
}
