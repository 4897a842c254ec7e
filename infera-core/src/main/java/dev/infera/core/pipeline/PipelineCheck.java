package dev.infera.core.pipeline;

import dev.infera.core.config.ConfigException;
import dev.infera.core.contract.ModelInterface;
import dev.infera.core.contract.TensorContract;
import dev.infera.spi.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Checks a {@link Pipeline} against the models its steps run, as they are loaded: every model
 * exists, every mapped input and output exists, every model input is fed, and each tensor's
 * datatype and shape agree between the step (or ensemble input) writing it and the steps (or
 * ensemble output) reading it. Stateless.
 */
public final class PipelineCheck {
  private PipelineCheck() {}

  /** A tensor as its producer declares it: datatype and full shape (-1 for any size). */
  private record Declared(String by, DataType dataType, long[] shape) {}

  /**
   * @param ensemble the ensemble's own inputs and outputs
   * @param models a model's interface by name and version (empty version for the latest ready one);
   *     empty when the model has no ready version
   * @return the interface of each step's own model by step index
   * @throws ConfigException listing every problem, each naming the step and tensor
   */
  public static Map<Integer, ModelInterface> check(
      Pipeline pipeline,
      ModelInterface ensemble,
      BiFunction<String, Optional<String>, Optional<ModelInterface>> models) {
    List<String> problems = new ArrayList<>();
    Map<String, Declared> declared = new HashMap<>();
    for (TensorContract input : ensemble.inputs()) {
      declared.put(
          input.name(),
          new Declared(
              "ensemble input '" + input.name() + "'",
              input.dataType(),
              full(input, ensemble.batched())));
    }
    Map<Integer, ModelInterface> interfaces = new HashMap<>();
    for (PipelineStep step : pipeline.steps()) {
      if (step.model().equals(pipeline.model())) {
        problems.add(
            step.label()
                + ": an ensemble cannot run itself as a step (expected another model's name)");
        continue;
      }
      Optional<ModelInterface> model = models.apply(step.model(), step.version());
      if (model.isEmpty()) {
        problems.add(
            step.label()
                + ": model '"
                + step.model()
                + "'"
                + step.version().map(v -> " version " + v).orElse("")
                + " is not loaded (expected a ready model of that name)");
        continue;
      }
      interfaces.put(step.index(), model.get());
      checkStep(step, model.get(), declared, problems);
      for (String other : step.policy().otherModels()) {
        Optional<ModelInterface> alternative = models.apply(other, Optional.empty());
        if (alternative.isEmpty()) {
          problems.add(step.label() + ": fallback or route model '" + other + "' is not loaded");
        } else {
          checkAlternative(step, other, model.get(), alternative.get(), problems);
        }
      }
      if (step.policy().fallbackValue().isPresent()) {
        checkConstant(step, model.get(), problems);
      }
    }
    for (TensorContract output : ensemble.outputs()) {
      Declared producer = declared.get(output.name());
      if (producer != null) {
        compare(
            "ensemble output '" + output.name() + "'",
            output.name(),
            producer,
            output.dataType(),
            full(output, ensemble.batched()),
            problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException("ensemble '" + pipeline.model() + "'", problems);
    }
    return Map.copyOf(interfaces);
  }

  private static void checkStep(
      PipelineStep step,
      ModelInterface model,
      Map<String, Declared> declared,
      List<String> problems) {
    Map<String, TensorContract> inputs = byName(model.inputs());
    for (Map.Entry<String, String> entry : step.inputMap().entrySet()) {
      TensorContract input = inputs.get(entry.getKey());
      if (input == null) {
        problems.add(
            step.label()
                + ": input_map names input '"
                + entry.getKey()
                + "', which the model does not have (expected one of: "
                + names(model.inputs())
                + ")");
        continue;
      }
      Declared producer = declared.get(entry.getValue());
      if (producer != null) {
        compare(
            step.label() + " input '" + input.name() + "'",
            entry.getValue(),
            producer,
            input.dataType(),
            full(input, model.batched()),
            problems);
      }
    }
    for (TensorContract input : model.inputs()) {
      if (!step.inputMap().containsKey(input.name())) {
        problems.add(step.label() + ": model input '" + input.name() + "' is not in input_map");
      }
    }
    Map<String, TensorContract> outputs = byName(model.outputs());
    for (Map.Entry<String, String> entry : step.outputMap().entrySet()) {
      TensorContract output = outputs.get(entry.getKey());
      if (output == null) {
        problems.add(
            step.label()
                + ": output_map names output '"
                + entry.getKey()
                + "', which the model does not have (expected one of: "
                + names(model.outputs())
                + ")");
        continue;
      }
      declared.put(
          entry.getValue(),
          new Declared(
              step.label() + " output '" + output.name() + "'",
              output.dataType(),
              full(output, model.batched())));
    }
  }

  /** A fallback or routed model must take the step's mapped inputs and give its mapped outputs. */
  private static void checkAlternative(
      PipelineStep step,
      String other,
      ModelInterface model,
      ModelInterface alternative,
      List<String> problems) {
    Map<String, TensorContract> inputs = byName(alternative.inputs());
    for (String name : step.inputMap().keySet()) {
      checkSame(step, other, "input", byName(model.inputs()).get(name), inputs.get(name), problems);
    }
    Map<String, TensorContract> outputs = byName(alternative.outputs());
    for (String name : step.outputMap().keySet()) {
      checkSame(
          step, other, "output", byName(model.outputs()).get(name), outputs.get(name), problems);
    }
  }

  private static void checkSame(
      PipelineStep step,
      String other,
      String kind,
      TensorContract own,
      TensorContract theirs,
      List<String> problems) {
    if (own == null) {
      return; // reported for the step's own model
    }
    if (theirs == null || theirs.dataType() != own.dataType()) {
      problems.add(
          step.label()
              + ": model '"
              + other
              + "' has no "
              + kind
              + " '"
              + own.name()
              + "' of datatype "
              + own.dataType()
              + " (expected the same "
              + kind
              + "s as model '"
              + step.model()
              + "')");
    }
  }

  private static void checkConstant(
      PipelineStep step, ModelInterface model, List<String> problems) {
    for (TensorContract output : model.outputs()) {
      if (!step.outputMap().containsKey(output.name())) {
        continue;
      }
      boolean fixed = Arrays.stream(output.dims()).allMatch(d -> d >= 0);
      if (!output.dataType().isFixedSize() || !fixed) {
        problems.add(
            step.label()
                + ": fallback_value needs output '"
                + output.name()
                + "' to have a numeric datatype and fixed dims (it is "
                + output.dataType()
                + " "
                + Arrays.toString(output.dims())
                + ")");
      }
    }
  }

  private static void compare(
      String reader,
      String tensor,
      Declared producer,
      DataType dataType,
      long[] shape,
      List<String> problems) {
    if (producer.dataType() != dataType) {
      problems.add(
          reader
              + " reads tensor '"
              + tensor
              + "' as "
              + dataType
              + ", but "
              + producer.by()
              + " writes it as "
              + producer.dataType());
    } else if (!compatible(producer.shape(), shape)) {
      problems.add(
          reader
              + " reads tensor '"
              + tensor
              + "' with shape "
              + Arrays.toString(shape)
              + ", but "
              + producer.by()
              + " writes it with shape "
              + Arrays.toString(producer.shape()));
    }
  }

  private static boolean compatible(long[] a, long[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] != -1 && b[i] != -1 && a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  private static long[] full(TensorContract contract, boolean batched) {
    long[] dims = contract.dims();
    if (!batched) {
      return dims;
    }
    long[] full = new long[dims.length + 1];
    full[0] = -1;
    System.arraycopy(dims, 0, full, 1, dims.length);
    return full;
  }

  private static Map<String, TensorContract> byName(List<TensorContract> contracts) {
    Map<String, TensorContract> map = new HashMap<>();
    contracts.forEach(c -> map.put(c.name(), c));
    return map;
  }

  private static String names(List<TensorContract> contracts) {
    return contracts.stream().map(TensorContract::name).collect(Collectors.joining(", "));
  }
}
