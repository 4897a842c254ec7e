package dev.infera.core.autoscale;

import java.time.Duration;
import java.util.Objects;

/**
 * How the desired replicas are computed.
 *
 * @param targetP99 the latency a model's p99 should stay under ({@code --autoscale-target-p99-ms};
 *     a model overrides it with the config parameter {@code autoscale_target_p99_ms})
 * @param riseTime how fast the estimate follows rising load (time constant of its smoothing)
 * @param fallTime how fast it follows falling load
 * @param scaleDownDelay how long a higher estimate is held before a lower one is published
 * @param sampleInterval how often the meters are read
 */
public record AutoscaleSettings(
    Duration targetP99,
    Duration riseTime,
    Duration fallTime,
    Duration scaleDownDelay,
    Duration sampleInterval) {
  /** The model config parameter that overrides the target for one model, in milliseconds. */
  public static final String TARGET_PARAMETER = "autoscale_target_p99_ms";

  public static final AutoscaleSettings DEFAULTS =
      new AutoscaleSettings(
          Duration.ofMillis(100),
          Duration.ofSeconds(3),
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          Duration.ofSeconds(1));

  public AutoscaleSettings {
    Objects.requireNonNull(targetP99, "targetP99");
    Objects.requireNonNull(riseTime, "riseTime");
    Objects.requireNonNull(fallTime, "fallTime");
    Objects.requireNonNull(scaleDownDelay, "scaleDownDelay");
    Objects.requireNonNull(sampleInterval, "sampleInterval");
    if (targetP99.isNegative() || targetP99.isZero()) {
      throw new IllegalArgumentException("autoscale target p99 " + targetP99 + " (expected > 0)");
    }
    if (sampleInterval.isNegative() || sampleInterval.isZero()) {
      throw new IllegalArgumentException("sample interval " + sampleInterval + " (expected > 0)");
    }
  }

  public AutoscaleSettings withTargetP99(Duration target) {
    return new AutoscaleSettings(target, riseTime, fallTime, scaleDownDelay, sampleInterval);
  }
}
