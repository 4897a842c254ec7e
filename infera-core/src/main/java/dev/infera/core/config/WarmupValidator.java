package dev.infera.core.config;

import dev.infera.core.config.proto.DataType;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelInput;
import dev.infera.core.config.proto.ModelWarmup;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code model_warmup} part of {@link ModelConfigValidator}. */
final class WarmupValidator {
  private WarmupValidator() {}

  static void check(ModelConfig config, List<String> problems) {
    for (int i = 0; i < config.getModelWarmupCount(); i++) {
      ModelWarmup warmup = config.getModelWarmup(i);
      String label = ModelConfigValidator.label("model_warmup", warmup.getName(), i);
      if (warmup.getName().isEmpty()) {
        problems.add(label + ": name is empty (expected a sample name)");
      }
      int maxRows = Math.max(1, config.getMaxBatchSize());
      int batchSize = warmup.getBatchSize();
      if (batchSize < 1 || batchSize > maxRows) {
        problems.add(
            label
                + ": batch_size "
                + Integer.toUnsignedString(batchSize)
                + " (expected 1.."
                + maxRows
                + (config.getMaxBatchSize() == 0 ? ", as the model does not batch)" : ")"));
      }
      if (warmup.getInputsCount() == 0) {
        problems.add(label + ": no inputs (expected one entry per model input)");
      }
      for (Map.Entry<String, ModelWarmup.Input> entry : warmup.getInputsMap().entrySet()) {
        checkInput(label, entry.getKey(), entry.getValue(), config, problems);
      }
    }
  }

  private static void checkInput(
      String warmupLabel,
      String name,
      ModelWarmup.Input input,
      ModelConfig config,
      List<String> problems) {
    String label = warmupLabel + ": input '" + name + "'";
    if (name.isEmpty()) {
      problems.add(warmupLabel + ": an input has an empty name (expected a model input name)");
    }
    if (input.getDataType() == DataType.TYPE_INVALID
        || input.getDataType() == DataType.UNRECOGNIZED) {
      problems.add(label + ": data_type is not set (expected a type such as TYPE_FP32)");
    }
    if (input.getDimsCount() == 0) {
      problems.add(label + ": dims is empty (expected the shape without the batch dimension)");
    } else if (input.getDimsList().stream().anyMatch(dim -> dim <= 0)) {
      problems.add(
          label + ": dims " + Dims.format(input.getDimsList()) + " (expected positive sizes)");
    }
    switch (input.getInputDataTypeCase()) {
      case INPUTDATATYPE_NOT_SET ->
          problems.add(
              label + ": no data (expected one of zero_data, random_data, input_data_file)");
      case INPUT_DATA_FILE -> checkDataFile(label, input.getInputDataFile(), problems);
      default -> {}
    }
    declared(config, name)
        .filter(declared -> input.getDataType() != DataType.TYPE_INVALID)
        .filter(declared -> declared.getDataType() != input.getDataType())
        .ifPresent(
            declared ->
                problems.add(
                    label
                        + ": data_type "
                        + input.getDataType()
                        + " (expected "
                        + declared.getDataType()
                        + " as the input declares)"));
    if (!name.isEmpty() && config.getInputCount() > 0 && declared(config, name).isEmpty()) {
      problems.add(label + ": not a declared input of the model");
    }
  }

  private static Optional<ModelInput> declared(ModelConfig config, String name) {
    return config.getInputList().stream().filter(input -> input.getName().equals(name)).findFirst();
  }

  private static void checkDataFile(String label, String file, List<String> problems) {
    String expected = " (expected a relative path inside the model's warmup folder)";
    if (file.isEmpty()) {
      problems.add(label + ": input_data_file is empty" + expected);
      return;
    }
    try {
      Path path = Path.of(file);
      boolean escapes =
          path.isAbsolute()
              || file.startsWith("/")
              || file.startsWith("\\")
              || file.contains("\\")
              || path.normalize().startsWith("..")
              || List.of(file.split("/")).contains("..");
      if (escapes) {
        problems.add(label + ": input_data_file '" + file + "'" + expected);
      }
    } catch (InvalidPathException e) {
      problems.add(label + ": input_data_file '" + file + "'" + expected);
    }
  }
}
