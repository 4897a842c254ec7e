package dev.infera.core.config;

import dev.infera.core.config.proto.DataType;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelInput;
import dev.infera.core.config.proto.ModelOutput;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Compares the tensors a configuration declares with those the model file declares. */
final class SignatureCheck {
  private SignatureCheck() {}

  /** Every mismatch between the configuration's tensors and the file's; empty when they agree. */
  static List<String> mismatches(ModelConfig config, ModelSignature fromFile) {
    List<String> problems = new ArrayList<>();
    for (ModelInput input : config.getInputList()) {
      compare(
          "input",
          input.getName(),
          input.getDataType(),
          input.hasReshape() ? "reshape" : "dims",
          ModelConfigCompleter.modelShape(input),
          fromFile.input(input.getName()),
          fromFile.inputs(),
          config.getMaxBatchSize(),
          problems);
    }
    for (ModelOutput output : config.getOutputList()) {
      compare(
          "output",
          output.getName(),
          output.getDataType(),
          output.hasReshape() ? "reshape" : "dims",
          ModelConfigCompleter.modelShape(output),
          fromFile.output(output.getName()),
          fromFile.outputs(),
          config.getMaxBatchSize(),
          problems);
    }
    return problems;
  }

  private static void compare(
      String kind,
      String name,
      DataType dataType,
      String shapeField,
      List<Long> shape,
      Optional<TensorSpec> match,
      List<TensorSpec> all,
      int maxBatchSize,
      List<String> problems) {
    if (name.isEmpty()) {
      return;
    }
    String label = kind + " '" + name + "'";
    if (match.isEmpty()) {
      List<String> names = all.stream().map(TensorSpec::name).toList();
      problems.add(label + ": not in the model file (the model's " + kind + "s are " + names + ")");
      return;
    }
    TensorSpec actual = match.get();
    DataType actualType = ConfigDataTypes.toConfig(actual.dataType());
    if (dataType != DataType.TYPE_INVALID
        && dataType != DataType.UNRECOGNIZED
        && dataType != actualType) {
      problems.add(
          label
              + ": data_type "
              + dataType
              + " does not match the model file (expected "
              + actualType
              + ")");
    }
    boolean checkable = !shape.isEmpty() || shapeField.equals("reshape");
    if (checkable && shape.stream().allMatch(dim -> dim == Dims.DYNAMIC || dim > 0)) {
      compareShape(label, shapeField, shape, Dims.toList(actual.shape()), maxBatchSize, problems);
    }
  }

  private static void compareShape(
      String label,
      String shapeField,
      List<Long> shape,
      List<Long> actual,
      int maxBatchSize,
      List<String> problems) {
    List<Long> perRow = actual;
    if (maxBatchSize > 0) {
      if (actual.isEmpty() || actual.get(0) != Dims.DYNAMIC) {
        problems.add(
            label
                + ": the model file's shape "
                + Dims.format(actual)
                + " has no dynamic first dimension (expected -1 there, as max_batch_size is "
                + maxBatchSize
                + ")");
        return;
      }
      perRow = actual.subList(1, actual.size());
    }
    boolean compatible = shape.size() == perRow.size();
    for (int i = 0; compatible && i < shape.size(); i++) {
      compatible = Dims.compatible(shape.get(i), perRow.get(i));
    }
    if (!compatible) {
      problems.add(
          label
              + ": "
              + shapeField
              + " "
              + Dims.format(shape)
              + " do not match the model file's shape "
              + Dims.format(actual)
              + " (expected "
              + Dims.format(perRow)
              + (maxBatchSize > 0 ? " after the batch dimension)" : ")"));
    }
  }
}
