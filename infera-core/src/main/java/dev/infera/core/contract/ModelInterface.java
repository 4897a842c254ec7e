package dev.infera.core.contract;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelInput;
import dev.infera.core.config.proto.ModelOutput;
import dev.infera.spi.DataType;
import java.util.List;
import java.util.Optional;

/**
 * The inputs and outputs a model version offers its callers, read once from its completed
 * configuration.
 *
 * @param maxBatchSize the largest batch a request may carry; 0 when the model has no batch
 *     dimension
 * @param inputs the inputs, in configuration order
 * @param outputs the outputs, in configuration order
 */
public record ModelInterface(
    int maxBatchSize, List<TensorContract> inputs, List<TensorContract> outputs) {
  public ModelInterface {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  public boolean batched() {
    return maxBatchSize > 0;
  }

  public static ModelInterface of(ModelConfig config) {
    return new ModelInterface(
        config.getMaxBatchSize(),
        config.getInputList().stream().map(ModelInterface::contract).toList(),
        config.getOutputList().stream().map(ModelInterface::contract).toList());
  }

  private static TensorContract contract(ModelInput input) {
    return new TensorContract(
        input.getName(),
        dataType(input.getDataType().name(), input.getName()),
        toArray(input.getDimsList()),
        input.hasReshape()
            ? Optional.of(toArray(input.getReshape().getShapeList()))
            : Optional.empty());
  }

  private static TensorContract contract(ModelOutput output) {
    return new TensorContract(
        output.getName(),
        dataType(output.getDataType().name(), output.getName()),
        toArray(output.getDimsList()),
        output.hasReshape()
            ? Optional.of(toArray(output.getReshape().getShapeList()))
            : Optional.empty());
  }

  private static DataType dataType(String tritonName, String tensor) {
    return DataType.fromTritonName(tritonName)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "tensor '" + tensor + "': unsupported data_type " + tritonName));
  }

  private static long[] toArray(List<Long> dims) {
    return dims.stream().mapToLong(Long::longValue).toArray();
  }
}
