package dev.infera.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.config.proto.DataType;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelInput;
import dev.infera.core.config.proto.ModelOutput;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Completion from model files. The signatures are those the ONNX Runtime backend reports for the
 * reference models {@code simple}, {@code fixed_shape} and {@code string_identity}, written out
 * here so that no runtime is needed.
 */
class ModelConfigCompleterTest {
  private static final ModelSignature SIMPLE =
      new ModelSignature(
          List.of(int32("INPUT0", -1, 16), int32("INPUT1", -1, 16)),
          List.of(int32("OUTPUT0", -1, 16), int32("OUTPUT1", -1, 16)));
  private static final ModelSignature FIXED_SHAPE =
      new ModelSignature(
          List.of(new TensorSpec("x", dev.infera.spi.DataType.FP32, new long[] {4, 4})),
          List.of(new TensorSpec("y", dev.infera.spi.DataType.FP32, new long[] {4, 4})));
  private static final ModelSignature STRING_IDENTITY =
      new ModelSignature(
          List.of(new TensorSpec("INPUT0", dev.infera.spi.DataType.BYTES, new long[] {-1, 1})),
          List.of(new TensorSpec("OUTPUT0", dev.infera.spi.DataType.BYTES, new long[] {-1, 1})));

  private static TensorSpec int32(String name, long... shape) {
    return new TensorSpec(name, dev.infera.spi.DataType.INT32, shape);
  }

  private static ModelConfig completeWithoutConfig(String name, ModelSignature fromFile) {
    return ModelConfigCompleter.complete(
        ModelConfig.getDefaultInstance(), name, fromFile, "onnxruntime", 4);
  }

  private static ModelConfig completeSimple(String configText) {
    return ModelConfigCompleter.complete(
        ModelConfigParser.parse(configText, "test"), "simple", SIMPLE, "onnxruntime", 4);
  }

  @Test
  void batchableModelWithoutConfigGetsTheDefaultMaxBatchSize() {
    ModelConfig config = completeWithoutConfig("simple", SIMPLE);

    assertThat(config.getName()).isEqualTo("simple");
    assertThat(config.getBackend()).isEqualTo("onnxruntime");
    assertThat(config.getPlatform()).isEqualTo("onnxruntime_onnx");
    assertThat(config.getMaxBatchSize()).isEqualTo(4);
    assertThat(config.hasDynamicBatching()).isTrue();
  }

  @Test
  void batchableModelDimsExcludeTheBatchDimension() {
    ModelConfig config = completeWithoutConfig("simple", SIMPLE);

    assertThat(config.getInputList())
        .extracting(ModelInput::getName, ModelInput::getDataType, ModelInput::getDimsList)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("INPUT0", DataType.TYPE_INT32, List.of(16L)),
            org.assertj.core.groups.Tuple.tuple("INPUT1", DataType.TYPE_INT32, List.of(16L)));
    assertThat(config.getOutputList())
        .extracting(ModelOutput::getName, ModelOutput::getDimsList)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("OUTPUT0", List.of(16L)),
            org.assertj.core.groups.Tuple.tuple("OUTPUT1", List.of(16L)));
  }

  @Test
  void fixedShapeModelDoesNotBatch() {
    ModelConfig config = completeWithoutConfig("fixed_shape", FIXED_SHAPE);

    assertThat(config.getMaxBatchSize()).isZero();
    assertThat(config.hasDynamicBatching()).isFalse();
    assertThat(config.getInput(0).getDimsList()).containsExactly(4L, 4L);
    assertThat(config.getOutput(0).getDimsList()).containsExactly(4L, 4L);
  }

  @Test
  void bytesTensorsBecomeTypeString() {
    ModelConfig config = completeWithoutConfig("string_identity", STRING_IDENTITY);

    assertThat(config.getMaxBatchSize()).isEqualTo(4);
    assertThat(config.getInput(0).getDataType()).isEqualTo(DataType.TYPE_STRING);
    assertThat(config.getInput(0).getDimsList()).containsExactly(1L);
    assertThat(config.getOutput(0).getDataType()).isEqualTo(DataType.TYPE_STRING);
  }

  @Test
  void batchedRankOneTensorBecomesDimsOneWithEmptyReshape() {
    ModelSignature margin =
        new ModelSignature(
            List.of(new TensorSpec("features", dev.infera.spi.DataType.FP32, new long[] {-1, 64})),
            List.of(new TensorSpec("margin", dev.infera.spi.DataType.FP32, new long[] {-1})));

    ModelConfig config =
        ModelConfigCompleter.complete(
            ModelConfig.getDefaultInstance(), "xgb_tabular", margin, "xgboost", 8);

    assertThat(config.getPlatform()).isEmpty();
    assertThat(config.getMaxBatchSize()).isEqualTo(8);
    assertThat(config.getOutput(0).getDimsList()).containsExactly(1L);
    assertThat(config.getOutput(0).hasReshape()).isTrue();
    assertThat(config.getOutput(0).getReshape().getShapeList()).isEmpty();
  }

  @Test
  void configWithoutTensorsKeepsItsSettingsAndGetsTheFileTensors() {
    ModelConfig config =
        completeSimple(
            "instance_group [ { count: 2 kind: KIND_CPU } ]\n"
                + "parameters { key: \"intra_op_thread_count\" value { string_value: \"1\" } }");

    assertThat(config.getMaxBatchSize()).isEqualTo(4);
    assertThat(config.getInstanceGroup(0).getCount()).isEqualTo(2);
    assertThat(config.getInputCount()).isEqualTo(2);
    assertThat(config.getOutputCount()).isEqualTo(2);
  }

  @Test
  void declaredMaxBatchSizeAndSchedulingAreKept() {
    ModelConfig config =
        completeSimple(
            "max_batch_size: 16\n"
                + "input [ { name: \"INPUT0\" data_type: TYPE_INT32 dims: [16] } ]\n"
                + "output [ { name: \"OUTPUT0\" data_type: TYPE_INT32 dims: [16] } ]");

    assertThat(config.getMaxBatchSize()).isEqualTo(16);
    assertThat(config.hasDynamicBatching()).isFalse();
  }

  @Test
  void missingInputsAreAddedButDeclaredOutputsAreASubset() {
    ModelConfig config =
        completeSimple(
            "max_batch_size: 8\n"
                + "input [ { name: \"INPUT0\" data_type: TYPE_INT32 dims: [16] } ]\n"
                + "output [ { name: \"OUTPUT1\" data_type: TYPE_INT32 dims: [16] } ]");

    assertThat(config.getInputList())
        .extracting(ModelInput::getName)
        .containsExactly("INPUT0", "INPUT1");
    assertThat(config.getOutputList()).extracting(ModelOutput::getName).containsExactly("OUTPUT1");
  }

  @Test
  void declaredNameTypeAndShapeMismatchesAreAllListed() {
    String config =
        """
        max_batch_size: 8
        input [
          { name: "INPUT0" data_type: TYPE_FP32 dims: [16] },
          { name: "INPUT1" data_type: TYPE_INT32 dims: [15] },
          { name: "INPUT9" data_type: TYPE_INT32 dims: [16] }
        ]
        output [ { name: "OUTPUT0" data_type: TYPE_INT32 dims: [4, 4] } ]
        """;

    assertThatThrownBy(() -> completeSimple(config))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "input 'INPUT0': data_type TYPE_FP32 does not match the model file"
                            + " (expected TYPE_INT32)",
                        "input 'INPUT1': dims [15] do not match the model file's shape [-1,16]"
                            + " (expected [16] after the batch dimension)",
                        "input 'INPUT9': not in the model file (the model's inputs are [INPUT0,"
                            + " INPUT1])",
                        "output 'OUTPUT0': dims [4,4] do not match the model file's shape"
                            + " [-1,16] (expected [16] after the batch dimension)"));
  }

  @Test
  void batchingAModelWithoutADynamicFirstDimensionIsAProblem() {
    ModelConfig configured =
        ModelConfigParser.parse(
            "max_batch_size: 4\ninput [ { name: \"x\" data_type: TYPE_FP32 dims: [4] } ]", "t");

    assertThatThrownBy(
            () ->
                ModelConfigCompleter.complete(
                    configured, "fixed_shape", FIXED_SHAPE, "onnxruntime", 4))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "input 'x': the model file's shape [4,4] has no dynamic first dimension"
                            + " (expected -1 there, as max_batch_size is 4)",
                        "output 'y': the model file's shape [4,4] has no dynamic first dimension"
                            + " (expected -1 there, as max_batch_size is 4)"));
  }

  @Test
  void dynamicConfigSizeAgainstAFixedFileSizeIsAProblem() {
    assertThatThrownBy(
            () ->
                completeSimple(
                    "max_batch_size: 2\n"
                        + "input [ { name: \"INPUT0\" data_type: TYPE_INT32 dims: [-1] } ]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("input 'INPUT0': dims [-1] do not match");
  }

  @Test
  void reshapeIsComparedWithTheFile() {
    ModelSignature image =
        new ModelSignature(
            List.of(
                new TensorSpec(
                    "data_0", dev.infera.spi.DataType.FP32, new long[] {1, 3, 224, 224})),
            List.of(
                new TensorSpec("fc6_1", dev.infera.spi.DataType.FP32, new long[] {1, 1000, 1, 1})));

    ModelConfig config =
        ModelConfigCompleter.complete(
            ConfigFixtures.parse("densenet_onnx.pbtxt"), "densenet_onnx", image, "onnxruntime", 4);

    assertThat(config.getInput(0).getDimsList()).containsExactly(3L, 224L, 224L);
    assertThat(config.getMaxBatchSize()).isZero();
  }

  @Test
  void completedConfigIsValidatedAgainstTheFolderName() {
    assertThatThrownBy(() -> completeSimple("name: \"other\""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("name 'other' does not match the model folder 'simple'");
  }

  @Test
  void declaredSignaturePrependsTheBatchDimension() {
    ModelSignature signature =
        ModelConfigCompleter.declaredSignature(
            ConfigFixtures.parse("simple_dynamic_batching.pbtxt"));

    assertThat(signature.inputs())
        .containsExactly(int32("INPUT0", -1, 16), int32("INPUT1", -1, 16));
    assertThat(signature.outputs())
        .containsExactly(int32("OUTPUT0", -1, 16), int32("OUTPUT1", -1, 16));
  }

  @Test
  void declaredSignatureUsesTheReshapeShape() {
    ModelSignature signature =
        ModelConfigCompleter.declaredSignature(ConfigFixtures.parse("densenet_onnx.pbtxt"));

    assertThat(signature.input("data_0").orElseThrow().shape()).containsExactly(1, 3, 224, 224);
    assertThat(signature.output("fc6_1").orElseThrow().shape()).containsExactly(1, 1000, 1, 1);
  }

  @Test
  void declaredSignatureOfAPerRowScalarIsTheBatchDimensionOnly() {
    ModelConfig config =
        ModelConfigParser.parse(
            "max_batch_size: 8\n"
                + "output [ { name: \"margin\" data_type: TYPE_FP32 dims: [1]"
                + " reshape { shape: [] } } ]",
            "t");

    assertThat(ModelConfigCompleter.declaredSignature(config).outputs())
        .containsExactly(new TensorSpec("margin", dev.infera.spi.DataType.FP32, new long[] {-1}));
  }
}
