package dev.infera.core.pipeline;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a pipeline: the model it runs and how its tensors connect.
 *
 * @param index the step's 1-based position in {@code ensemble_scheduling}
 * @param model the step's model
 * @param version the version to run; empty for the one routing picks ({@code model_version: -1})
 * @param inputMap the model's input name → the pipeline tensor it reads
 * @param outputMap the model's output name → the pipeline tensor it writes
 * @param policy Infera's declared behaviour of the step (hard with no timeout by default)
 */
public record PipelineStep(
    int index,
    String model,
    Optional<String> version,
    Map<String, String> inputMap,
    Map<String, String> outputMap,
    StepPolicy policy) {

  public PipelineStep {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    inputMap = Map.copyOf(inputMap);
    outputMap = Map.copyOf(outputMap);
    Objects.requireNonNull(policy, "policy");
  }

  /** How messages name the step: {@code step 2 (model 'classifier')}. */
  public String label() {
    return "step " + index + " (model '" + model + "')";
  }

  /** The same step with another policy. */
  PipelineStep withPolicy(StepPolicy newPolicy) {
    return new PipelineStep(index, model, version, inputMap, outputMap, newPolicy);
  }
}
