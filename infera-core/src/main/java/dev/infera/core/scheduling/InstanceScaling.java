package dev.infera.core.scheduling;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A model's in-process instance autoscaling, from its config parameters (docs/scheduling.md):
 * between the instance groups' count and {@code max} instances, one more when the mean queue delay
 * of a window exceeds {@code queueDelay}, one fewer after {@code idle} of windows in which the
 * instances left would have been at most half busy and nobody waited.
 *
 * @param min the fewest instances: the instance groups' count, which the version starts with
 * @param max the most instances ({@code instance_autoscale_max}; setting it turns scaling on)
 * @param queueDelay the mean queue delay above which an instance is added ({@code
 *     instance_autoscale_queue_delay_ms}, default 20)
 * @param window how long the queue delay is measured before each decision ({@code
 *     instance_autoscale_window_ms}, default 2,000)
 * @param idle how long the load must stay low before an instance is removed ({@code
 *     instance_autoscale_idle_secs}, default 30)
 */
public record InstanceScaling(
    int min, int max, Duration queueDelay, Duration window, Duration idle) {
  public static final String MAX = "instance_autoscale_max";
  public static final String QUEUE_DELAY_MS = "instance_autoscale_queue_delay_ms";
  public static final String WINDOW_MS = "instance_autoscale_window_ms";
  public static final String IDLE_SECS = "instance_autoscale_idle_secs";

  /** The most instances one model may ask for, whatever the cores. */
  public static final int MAX_INSTANCES = 64;

  public InstanceScaling {
    if (min < 1 || max < min || max > MAX_INSTANCES) {
      throw new IllegalArgumentException(
          MAX
              + " "
              + max
              + " (expected from the instance groups' count "
              + min
              + " to "
              + MAX_INSTANCES
              + ")");
    }
    positive(queueDelay, QUEUE_DELAY_MS);
    positive(window, WINDOW_MS);
    positive(idle, IDLE_SECS);
  }

  private static void positive(Duration value, String name) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " " + value.toMillis() + " (expected > 0)");
    }
  }

  /**
   * The scaling a model's parameters ask for; empty when {@code instance_autoscale_max} is not set.
   *
   * @param parameters the model config's parameters (name to string value)
   * @param configured the instance groups' count, the default minimum
   * @throws IllegalArgumentException naming the parameter that is not a number or out of range
   */
  public static Optional<InstanceScaling> of(Map<String, String> parameters, int configured) {
    if (!parameters.containsKey(MAX)) {
      for (String name : new String[] {QUEUE_DELAY_MS, WINDOW_MS, IDLE_SECS}) {
        if (parameters.containsKey(name)) {
          throw new IllegalArgumentException(
              name + " is set but " + MAX + " is not (scaling needs " + MAX + ")");
        }
      }
      return Optional.empty();
    }
    int max = number(parameters, MAX, null, Integer::parseInt);
    long delay = number(parameters, QUEUE_DELAY_MS, 20L, Long::parseLong);
    long window = number(parameters, WINDOW_MS, 2_000L, Long::parseLong);
    long idle = number(parameters, IDLE_SECS, 30L, Long::parseLong);
    return Optional.of(
        new InstanceScaling(
            configured,
            max,
            Duration.ofMillis(delay),
            Duration.ofMillis(window),
            Duration.ofSeconds(idle)));
  }

  private static <T> T number(
      Map<String, String> parameters, String name, T fallback, Function<String, T> parse) {
    String text = parameters.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      return parse.apply(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " '" + text + "' (expected a whole number)");
    }
  }
}
