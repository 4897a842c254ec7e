package dev.infera.core.config;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelDynamicBatching;
import dev.infera.core.config.proto.ModelInput;
import dev.infera.core.config.proto.ModelOutput;
import dev.infera.core.config.proto.ModelTensorReshape;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Completes a configuration from what the model file declares, as Triton's auto-complete does, and
 * checks a declared configuration against the file.
 *
 * <p>Shapes: a configuration's {@code dims} exclude the batch dimension when {@code max_batch_size
 * > 0}; a {@link TensorSpec} shape is the full shape the model sees, batch dimension included.
 * Stateless and safe from any thread.
 */
public final class ModelConfigCompleter {
  private static final Map<String, String> PLATFORMS = Map.of("onnxruntime", "onnxruntime_onnx");

  private ModelConfigCompleter() {}

  /**
   * Fills what the configuration leaves out, then validates the result.
   *
   * <ul>
   *   <li>{@code name} becomes {@code modelName}; {@code backend} becomes {@code backendName}; an
   *       empty {@code platform} becomes {@code onnxruntime_onnx} for the onnxruntime backend.
   *   <li>{@code max_batch_size}, when it is 0 and the configuration declares no input and no
   *       output (no config.pbtxt, or one that leaves shapes to the file): the model is batchable
   *       when every input and output of the file has a dynamic (-1) first dimension; then it
   *       becomes {@code defaultMaxBatchSize} (Triton's default is 4), otherwise it stays 0. A
   *       batchable model without a scheduling setting also gets {@code dynamic_batching {}} when
   *       the size is above 1, as Triton does.
   *   <li>Every file input missing from the configuration is added; file outputs are added only
   *       when the configuration declares none (a configuration may expose a subset of outputs).
   *       Added tensors take their type from the file and their dims from the file's shape, less
   *       the first dimension when {@code max_batch_size > 0}; a batched tensor of rank 1 becomes
   *       {@code dims [1]} with {@code reshape { shape: [] }}.
   * </ul>
   *
   * @param configured the parsed configuration, or {@code ModelConfig.getDefaultInstance()} when
   *     the model has no config.pbtxt
   * @param modelName the model's folder name
   * @param fromFile the model file's signature: full shapes, batch dimension included, -1 dynamic
   * @param backendName the backend that loads the model, such as {@code onnxruntime}
   * @param defaultMaxBatchSize the {@code max_batch_size} given to a batchable model, >= 1
   * @throws ConfigException listing every problem: a declared tensor the file lacks, a type or
   *     shape that does not match the file, and whatever {@link ModelConfigValidator} finds
   */
  public static ModelConfig complete(
      ModelConfig configured,
      String modelName,
      ModelSignature fromFile,
      String backendName,
      int defaultMaxBatchSize) {
    if (defaultMaxBatchSize < 1) {
      throw new IllegalArgumentException(
          "defaultMaxBatchSize " + defaultMaxBatchSize + " (expected >= 1)");
    }
    ModelConfig.Builder builder = configured.toBuilder();
    if (builder.getName().isEmpty()) {
      builder.setName(modelName);
    }
    if (builder.getBackend().isEmpty() && backendName != null) {
      builder.setBackend(backendName);
    }
    if (builder.getPlatform().isEmpty() && PLATFORMS.containsKey(builder.getBackend())) {
      builder.setPlatform(PLATFORMS.get(builder.getBackend()));
    }
    boolean declaresTensors = configured.getInputCount() > 0 || configured.getOutputCount() > 0;
    if (configured.getMaxBatchSize() == 0 && !declaresTensors && isBatchable(fromFile)) {
      builder.setMaxBatchSize(defaultMaxBatchSize);
      if (defaultMaxBatchSize > 1
          && builder.getSchedulingChoiceCase()
              == ModelConfig.SchedulingChoiceCase.SCHEDULINGCHOICE_NOT_SET) {
        builder.setDynamicBatching(ModelDynamicBatching.getDefaultInstance());
      }
    }
    List<String> unbatchable = new ArrayList<>();
    addMissingTensors(builder, fromFile, unbatchable);
    ModelConfig completed = builder.build();
    List<String> problems = new ArrayList<>(SignatureCheck.mismatches(completed, fromFile));
    problems.addAll(unbatchable);
    problems.addAll(ModelConfigValidator.problems(completed, modelName));
    if (!problems.isEmpty()) {
      throw new ConfigException("model '" + modelName + "'", problems);
    }
    return completed;
  }

  /**
   * The configuration's inputs and outputs as the model sees them: each shape is the {@code
   * reshape} shape where one is given, else {@code dims}, with -1 prepended for the batch dimension
   * when {@code max_batch_size > 0}. Names and order are the configuration's.
   *
   * @param config a valid configuration (see {@link ModelConfigValidator})
   * @throws IllegalArgumentException when a data type is unset or a size is below -1
   */
  public static ModelSignature declaredSignature(ModelConfig config) {
    boolean batched = config.getMaxBatchSize() > 0;
    List<TensorSpec> inputs =
        config.getInputList().stream()
            .map(input -> spec(input.getName(), input.getDataType(), modelShape(input), batched))
            .toList();
    List<TensorSpec> outputs =
        config.getOutputList().stream()
            .map(
                output -> spec(output.getName(), output.getDataType(), modelShape(output), batched))
            .toList();
    return new ModelSignature(inputs, outputs);
  }

  /** Whether every tensor of the file has a dynamic first dimension (and there is one). */
  static boolean isBatchable(ModelSignature fromFile) {
    List<TensorSpec> all =
        Stream.concat(fromFile.inputs().stream(), fromFile.outputs().stream()).toList();
    return !all.isEmpty()
        && all.stream().allMatch(spec -> spec.rank() > 0 && spec.shape()[0] == Dims.DYNAMIC);
  }

  static List<Long> modelShape(ModelInput input) {
    return input.hasReshape() ? input.getReshape().getShapeList() : input.getDimsList();
  }

  static List<Long> modelShape(ModelOutput output) {
    return output.hasReshape() ? output.getReshape().getShapeList() : output.getDimsList();
  }

  private static TensorSpec spec(
      String name, dev.infera.core.config.proto.DataType type, List<Long> shape, boolean batched) {
    List<Long> full = new ArrayList<>();
    if (batched) {
      full.add(Dims.DYNAMIC);
    }
    full.addAll(shape);
    return new TensorSpec(name, ConfigDataTypes.toSpi(type), Dims.toArray(full));
  }

  private static void addMissingTensors(
      ModelConfig.Builder builder, ModelSignature fromFile, List<String> problems) {
    int maxBatchSize = builder.getMaxBatchSize();
    for (TensorSpec spec : fromFile.inputs()) {
      boolean declared =
          builder.getInputList().stream().anyMatch(input -> input.getName().equals(spec.name()));
      if (!declared) {
        ModelInput.Builder input =
            ModelInput.newBuilder()
                .setName(spec.name())
                .setDataType(ConfigDataTypes.toConfig(spec.dataType()));
        if (setShape(spec, maxBatchSize, input::addAllDims, input::setReshape, "input", problems)) {
          builder.addInput(input);
        }
      }
    }
    if (builder.getOutputCount() == 0) {
      for (TensorSpec spec : fromFile.outputs()) {
        ModelOutput.Builder output =
            ModelOutput.newBuilder()
                .setName(spec.name())
                .setDataType(ConfigDataTypes.toConfig(spec.dataType()));
        if (setShape(
            spec, maxBatchSize, output::addAllDims, output::setReshape, "output", problems)) {
          builder.addOutput(output);
        }
      }
    }
  }

  /** Sets the dims (and reshape) of an added tensor; false when the file's shape cannot batch. */
  private static boolean setShape(
      TensorSpec spec,
      int maxBatchSize,
      Consumer<List<Long>> dims,
      Consumer<ModelTensorReshape> reshape,
      String kind,
      List<String> problems) {
    List<Long> shape = Dims.toList(spec.shape());
    if (maxBatchSize == 0) {
      dims.accept(shape);
      return true;
    }
    if (shape.isEmpty() || shape.get(0) != Dims.DYNAMIC) {
      problems.add(
          kind
              + " '"
              + spec.name()
              + "': the model file's shape "
              + Dims.format(shape)
              + " has no dynamic first dimension (expected -1 there, as max_batch_size is "
              + maxBatchSize
              + ")");
      return false;
    }
    List<Long> perRow = shape.subList(1, shape.size());
    if (perRow.isEmpty()) {
      dims.accept(List.of(1L));
      reshape.accept(ModelTensorReshape.getDefaultInstance());
    } else {
      dims.accept(perRow);
    }
    return true;
  }
}
