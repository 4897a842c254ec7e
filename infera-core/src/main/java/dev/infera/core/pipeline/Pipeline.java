package dev.infera.core.pipeline;

import dev.infera.core.config.ConfigException;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelEnsembling;
import dev.infera.core.config.proto.ModelInput;
import dev.infera.core.config.proto.ModelOutput;
import dev.infera.core.config.proto.ModelParameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An ensemble's steps as a checked DAG over tensor names, in an order where every step comes after
 * the steps producing its inputs. Built by {@link #of}, which refuses what cannot run: a cycle, a
 * tensor read but never produced, a tensor produced twice, an ensemble input no step reads, an
 * ensemble output no step writes. Immutable.
 *
 * @param model the ensemble's name
 * @param steps the steps in a dependency order
 * @param inputs the ensemble's input tensors
 * @param outputs the ensemble's output tensors
 */
public record Pipeline(
    String model, List<PipelineStep> steps, Set<String> inputs, Set<String> outputs) {
  /** Triton's platform name of an ensemble. */
  public static final String PLATFORM = "ensemble";

  /** The prefix of the {@code parameters} keys holding step policies. */
  public static final String STEP_PARAMETER = "infera.step.";

  public Pipeline {
    Objects.requireNonNull(model, "model");
    steps = List.copyOf(steps);
    inputs = Set.copyOf(inputs);
    outputs = Set.copyOf(outputs);
  }

  /** Whether a configuration is an ensemble's. */
  public static boolean isEnsemble(ModelConfig config) {
    return PLATFORM.equals(config.getPlatform());
  }

  /** Every model a step may run (its own, fallbacks and routes), each once. */
  public Set<String> models() {
    Set<String> models = new LinkedHashSet<>();
    for (PipelineStep step : steps) {
      models.add(step.model());
      models.addAll(step.policy().otherModels());
    }
    return models;
  }

  /**
   * Reads and checks an ensemble's configuration on its own (the step models are checked against it
   * by {@link PipelineCheck}).
   *
   * @throws ConfigException listing every problem, each naming the step and tensor
   */
  public static Pipeline of(ModelConfig config, String model) {
    List<String> problems = new ArrayList<>();
    ModelEnsembling ensembling = config.getEnsembleScheduling();
    if (config.getInputCount() == 0 || config.getOutputCount() == 0) {
      problems.add(
          "an ensemble declares its inputs and outputs (expected input [...] and output [...]"
              + " with name, data_type and dims)");
    }
    if (ensembling.getStepCount() == 0) {
      problems.add("ensemble_scheduling has no step (expected at least one)");
    }
    List<PipelineStep> steps = new ArrayList<>();
    for (int i = 0; i < ensembling.getStepCount(); i++) {
      steps.add(step(i + 1, ensembling.getStep(i), problems));
    }
    steps = withPolicies(steps, config.getParametersMap(), problems);
    Set<String> inputs = new LinkedHashSet<>();
    config.getInputList().stream().map(ModelInput::getName).forEach(inputs::add);
    Set<String> outputs = new LinkedHashSet<>();
    config.getOutputList().stream().map(ModelOutput::getName).forEach(outputs::add);
    List<PipelineStep> ordered = DagOrder.of(steps, inputs, outputs, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException("ensemble '" + model + "'", problems);
    }
    return new Pipeline(model, ordered, inputs, outputs);
  }

  private static PipelineStep step(int index, ModelEnsembling.Step step, List<String> problems) {
    String label = "step " + index + " (model '" + step.getModelName() + "')";
    if (step.getModelName().isEmpty()) {
      problems.add("step " + index + ": model_name is empty");
    }
    if (step.getModelVersion() < -1) {
      problems.add(label + ": model_version " + step.getModelVersion() + " (expected -1 or >= 0)");
    }
    if (step.getInputMapCount() == 0) {
      problems.add(label + ": input_map is empty (expected model input → ensemble tensor)");
    }
    if (step.getOutputMapCount() == 0) {
      problems.add(label + ": output_map is empty (expected model output → ensemble tensor)");
    }
    return new PipelineStep(
        index,
        step.getModelName(),
        step.getModelVersion() < 0
            ? Optional.empty()
            : Optional.of(Long.toString(step.getModelVersion())),
        new TreeMap<>(step.getInputMapMap()),
        new TreeMap<>(step.getOutputMapMap()),
        StepPolicy.TRITON);
  }

  /** Attaches the {@code infera.step.<index or model>} policies to their steps. */
  private static List<PipelineStep> withPolicies(
      List<PipelineStep> steps, Map<String, ModelParameter> parameters, List<String> problems) {
    Map<Integer, PipelineStep> byIndex = new HashMap<>();
    steps.forEach(step -> byIndex.put(step.index(), step));
    for (Map.Entry<String, ModelParameter> entry : new TreeMap<>(parameters).entrySet()) {
      if (!entry.getKey().startsWith(STEP_PARAMETER)) {
        continue;
      }
      String which = entry.getKey().substring(STEP_PARAMETER.length());
      List<PipelineStep> matching =
          steps.stream()
              .filter(s -> which.equals(Integer.toString(s.index())) || which.equals(s.model()))
              .toList();
      if (matching.size() != 1) {
        problems.add(
            "parameter '"
                + entry.getKey()
                + "' "
                + (matching.isEmpty() ? "names no step" : "names " + matching.size() + " steps")
                + " (expected a step's 1-based index, or the model of exactly one step)");
        continue;
      }
      PipelineStep step = matching.get(0);
      try {
        byIndex.put(
            step.index(), step.withPolicy(StepPolicy.parse(entry.getValue().getStringValue())));
      } catch (IllegalArgumentException e) {
        problems.add(step.label() + ": parameter '" + entry.getKey() + "': " + e.getMessage());
      }
    }
    return steps.stream().map(s -> byIndex.get(s.index())).toList();
  }
}
