package dev.infera.core.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ModelController} manages the loaded set.
 *
 * @param mode the model control mode
 * @param pollInterval how often POLL mode scans the repository (Triton's {@code
 *     --repository-poll-secs}); ignored by the other modes
 * @param startupModels the models EXPLICIT mode loads at start (Triton's {@code --load-model});
 *     {@value #ALL_MODELS} stands for every model of the repository; ignored by the other modes
 */
public record ControlOptions(
    ModelControlMode mode, Duration pollInterval, List<String> startupModels) {
  /** The {@code --load-model} value that names every model. */
  public static final String ALL_MODELS = "*";

  /** Triton's default for {@code --repository-poll-secs}. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(15);

  public ControlOptions {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(pollInterval, "pollInterval");
    startupModels = List.copyOf(startupModels);
    if (mode == ModelControlMode.POLL && (pollInterval.isZero() || pollInterval.isNegative())) {
      throw new IllegalArgumentException(
          "repository poll interval " + pollInterval + " (expected > 0 in poll mode)");
    }
  }

  /** Triton's default: load everything at start, change nothing afterwards. */
  public static ControlOptions none() {
    return new ControlOptions(ModelControlMode.NONE, DEFAULT_POLL_INTERVAL, List.of());
  }

  public static ControlOptions poll(Duration interval) {
    return new ControlOptions(ModelControlMode.POLL, interval, List.of());
  }

  public static ControlOptions explicit(List<String> startupModels) {
    return new ControlOptions(ModelControlMode.EXPLICIT, DEFAULT_POLL_INTERVAL, startupModels);
  }
}
