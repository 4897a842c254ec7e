package dev.infera.backend.xgboost;

import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a model's tensors map to what XGBoost computes: one FP32 input of {@code [batch, features]},
 * a main output (FIL's {@code output__0}) and optionally a margin output.
 *
 * <p>The mapping, from the configuration's declared outputs: the output named by the {@code
 * margin_output} parameter, or else an output named {@code margin}, receives the raw margin; the
 * first other declared output receives FIL's main output (probabilities, class index or prediction,
 * as the parameters say). Any further output is a configuration error. Without declared tensors the
 * names are FIL's: {@code input__0} and {@code output__0}.
 *
 * @param input the one input, {@code [-1, numFeatures]}
 * @param main FIL's main output, absent when the configuration declares only the margin
 * @param margin the margin output, when declared or named by {@code margin_output}
 */
record TensorLayout(TensorSpec input, Optional<Output> main, Optional<Output> margin) {

  static final String FIL_INPUT = "input__0";
  static final String FIL_OUTPUT = "output__0";

  /**
   * One output: its name, what it holds and its shape.
   *
   * @param width values per row
   * @param perRowScalar whether the shape is {@code [batch]} rather than {@code [batch, width]}
   */
  record Output(String name, OutputKind kind, int width, boolean perRowScalar) {
    TensorSpec spec() {
      long[] shape = perRowScalar ? new long[] {-1} : new long[] {-1, width};
      return new TensorSpec(name, DataType.FP32, shape);
    }

    long[] shape(long rows) {
      return perRowScalar ? new long[] {rows} : new long[] {rows, width};
    }
  }

  static TensorLayout of(ModelSignature declared, FilParameters parameters, BoosterShape shape) {
    List<String> problems = new ArrayList<>();
    TensorSpec input = input(declared.inputs(), shape.numFeatures(), problems);
    Optional<String> marginName =
        parameters
            .marginOutput()
            .or(
                () ->
                    declared
                        .output(FilParameters.DEFAULT_MARGIN_OUTPUT)
                        .map(spec -> FilParameters.DEFAULT_MARGIN_OUTPUT));
    Optional<Output> margin = Optional.empty();
    Optional<Output> main = Optional.empty();
    List<String> extra = new ArrayList<>();
    for (TensorSpec spec : declared.outputs()) {
      if (marginName.isPresent() && spec.name().equals(marginName.get())) {
        margin = Optional.of(output(spec, OutputKind.MARGIN, shape.numGroups(), problems));
      } else if (main.isEmpty()) {
        OutputKind kind = mainKind(parameters);
        main = Optional.of(output(spec, kind, mainWidth(kind, shape), problems));
      } else {
        extra.add(spec.name());
      }
    }
    if (!extra.isEmpty()) {
      problems.add(
          "outputs "
              + extra
              + " are neither the main output nor the margin output (an XGBoost model has"
              + " one main output, the first declared, and a margin output named 'margin' or"
              + " set with parameter 'margin_output')");
    }
    if (declared.outputs().isEmpty()) {
      OutputKind kind = mainKind(parameters);
      main = Optional.of(new Output(FIL_OUTPUT, kind, mainWidth(kind, shape), false));
      margin =
          marginName.map(
              name -> new Output(name, OutputKind.MARGIN, shape.numGroups(), !shape.multiClass()));
    } else if (parameters.marginOutput().isPresent() && margin.isEmpty()) {
      problems.add(
          "parameter 'margin_output' names '"
              + parameters.marginOutput().get()
              + "', which the configuration does not declare as an output");
    }
    if (!problems.isEmpty()) {
      throw InferenceException.invalidArgument(String.join("; ", problems));
    }
    return new TensorLayout(input, main, margin);
  }

  /** The model's signature: the input, then the main output and the margin output. */
  ModelSignature signature() {
    List<TensorSpec> outputs = new ArrayList<>();
    main.ifPresent(output -> outputs.add(output.spec()));
    margin.ifPresent(output -> outputs.add(output.spec()));
    return new ModelSignature(List.of(input), outputs);
  }

  int numFeatures() {
    return (int) input.shape()[1];
  }

  /** The output of that name, or INVALID_ARGUMENT naming the outputs there are. */
  Output output(String name) {
    if (main.isPresent() && main.get().name().equals(name)) {
      return main.get();
    }
    if (margin.isPresent() && margin.get().name().equals(name)) {
      return margin.get();
    }
    List<String> names = signature().outputs().stream().map(TensorSpec::name).toList();
    throw InferenceException.invalidArgument(
        "unknown output '" + name + "' (expected one of " + names + ")");
  }

  private static TensorSpec input(
      List<TensorSpec> declared, int numFeatures, List<String> problems) {
    if (declared.isEmpty()) {
      return new TensorSpec(FIL_INPUT, DataType.FP32, new long[] {-1, numFeatures});
    }
    TensorSpec spec = declared.get(0);
    if (declared.size() > 1) {
      problems.add(
          "the configuration declares "
              + declared.size()
              + " inputs (expected 1: an XGBoost model takes one FP32 [batch, "
              + numFeatures
              + "] input)");
    }
    if (spec.dataType() != DataType.FP32) {
      problems.add("input '" + spec.name() + "' is " + spec.dataType() + " (expected FP32)");
    }
    long[] dims = spec.shape();
    if (dims.length != 2 || (dims[1] != -1 && dims[1] != numFeatures)) {
      problems.add(
          "input '"
              + spec.name()
              + "' has shape "
              + Arrays.toString(dims)
              + " (expected [-1, "
              + numFeatures
              + "]: the model has "
              + numFeatures
              + " features)");
    }
    return new TensorSpec(spec.name(), DataType.FP32, new long[] {-1, numFeatures});
  }

  private static Output output(TensorSpec spec, OutputKind kind, int width, List<String> problems) {
    if (spec.dataType() != DataType.FP32) {
      problems.add("output '" + spec.name() + "' is " + spec.dataType() + " (expected FP32)");
    }
    long[] dims = spec.shape();
    int effective = width;
    if (kind == OutputKind.PROBABILITIES
        && width == 2
        && (dims.length == 1 || (dims.length == 2 && dims[1] == 1))) {
      // A binary classifier declared with one probability per row gets P(class 1) alone.
      effective = 1;
    }
    if (dims.length == 1 && effective == 1) {
      return new Output(spec.name(), kind, 1, true);
    }
    if (dims.length == 2 && (dims[1] == -1 || dims[1] == effective)) {
      return new Output(spec.name(), kind, effective, false);
    }
    problems.add(
        "output '"
            + spec.name()
            + "' has shape "
            + Arrays.toString(dims)
            + " (expected [-1, "
            + width
            + "]"
            + (width == 1 ? " or [-1]" : "")
            + " for the "
            + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + " output)");
    return new Output(spec.name(), kind, width, false);
  }

  private static OutputKind mainKind(FilParameters parameters) {
    if (!parameters.outputClass()) {
      return OutputKind.PREDICTION;
    }
    return parameters.predictProba() ? OutputKind.PROBABILITIES : OutputKind.CLASS_INDEX;
  }

  private static int mainWidth(OutputKind kind, BoosterShape shape) {
    return switch (kind) {
      case PROBABILITIES -> shape.multiClass() ? shape.numGroups() : 2;
      case CLASS_INDEX -> 1;
      case PREDICTION -> shape.valueWidth();
      case MARGIN -> shape.numGroups();
    };
  }
}
