package dev.infera.core.routing.rollout;

import dev.infera.spi.InferenceException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a canary rollout was asked to do.
 *
 * @param model the model rolled out
 * @param stable the version serving now (the baseline)
 * @param candidate the version rolled out
 * @param steps the candidate's share at each step, in percent, strictly increasing, 1 to 100
 * @param stepMillis how long each step lasts before it is judged
 * @param maxExtensions how many times an INCONCLUSIVE step may be extended by another step duration
 *     before the rollout is rolled back
 * @param criteria the limits of the judgement
 * @param startedBy who started it (the API key's name, or "anonymous")
 */
public record RolloutSpec(
    String model,
    long stable,
    long candidate,
    List<Integer> steps,
    long stepMillis,
    int maxExtensions,
    Criteria criteria,
    String startedBy) {

  public static final List<Integer> DEFAULT_STEPS = List.of(5, 25, 50, 100);
  public static final Duration DEFAULT_STEP = Duration.ofSeconds(60);
  public static final int DEFAULT_EXTENSIONS = 3;

  public RolloutSpec {
    Objects.requireNonNull(model, "model");
    steps = List.copyOf(steps);
    Objects.requireNonNull(criteria, "criteria");
    Objects.requireNonNull(startedBy, "startedBy");
    if (candidate == stable) {
      throw InferenceException.invalidArgument(
          "rollout of model '"
              + model
              + "': candidate version "
              + candidate
              + " is the stable version (expected another version)");
    }
    if (steps.isEmpty()) {
      throw InferenceException.invalidArgument(
          "rollout steps are empty (expected e.g. 5,25,50,100)");
    }
    int previous = 0;
    for (int step : steps) {
      if (step <= previous || step > 100) {
        throw InferenceException.invalidArgument(
            "rollout steps " + steps + " (expected strictly increasing percentages from 1 to 100)");
      }
      previous = step;
    }
    if (stepMillis < 1) {
      throw InferenceException.invalidArgument(
          "step duration " + stepMillis + " ms (expected at least 1 ms)");
    }
    if (maxExtensions < 0) {
      throw InferenceException.invalidArgument(
          "max extensions " + maxExtensions + " (expected 0 or more)");
    }
  }
}
