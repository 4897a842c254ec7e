package dev.infera.backend.onnxruntime;

import static dev.infera.backend.onnxruntime.TestModels.int32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.Tensor;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Running the 'simple' add/sub model: output selection and inputs ONNX Runtime refuses. */
class ExecutionTest {
  private static final long[] SHAPE = {1, 16};

  private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend(() -> 2);
  private LoadedModel model;
  private ModelInstance instance;

  @BeforeEach
  void load() {
    model = backend.load(TestModels.request("simple"));
    instance = model.newInstance(0);
  }

  @AfterEach
  void close() {
    instance.close();
    model.close();
    backend.close();
  }

  @Test
  void onlyTheRequestedOutputIsReturned() {
    List<Tensor> outputs = instance.execute(inputs(5, 3), List.of("OUTPUT1"));

    assertThat(outputs).extracting(Tensor::name).containsExactly("OUTPUT1");
    assertThat(outputs.get(0).data().getInt(0)).isEqualTo(2);
  }

  @Test
  void outputsComeInTheRequestedOrder() {
    List<Tensor> outputs = instance.execute(inputs(5, 3), List.of("OUTPUT1", "OUTPUT0"));

    assertThat(outputs).extracting(Tensor::name).containsExactly("OUTPUT1", "OUTPUT0");
    assertThat(outputs.get(0).data().getInt(15 * 4)).isEqualTo(2);
    assertThat(outputs.get(1).data().getInt(0)).isEqualTo(8);
  }

  @Test
  void unknownOutputIsInvalid() {
    assertFails(
        () -> instance.execute(inputs(1, 1), List.of("OUTPUT9")),
        ErrorCode.INVALID_ARGUMENT,
        "unknown output 'OUTPUT9'",
        "OUTPUT0");
  }

  @Test
  void unknownInputIsInvalid() {
    List<Tensor> inputs = List.of(filled("INPUT0", 1), filled("INPUT7", 1));

    assertFails(
        () -> instance.execute(inputs, List.of("OUTPUT0")),
        ErrorCode.INVALID_ARGUMENT,
        "unknown input 'INPUT7'");
  }

  @Test
  void missingInputIsInvalid() {
    assertFails(
        () -> instance.execute(List.of(filled("INPUT0", 1)), List.of("OUTPUT0")),
        ErrorCode.INVALID_ARGUMENT,
        "missing input 'INPUT1'");
  }

  @Test
  void wrongDataTypeIsInvalid() {
    Tensor fp32 = TestModels.direct("INPUT1", DataType.FP32, SHAPE, b -> b.position(64));

    assertFails(
        () -> instance.execute(List.of(filled("INPUT0", 1), fp32), List.of("OUTPUT0")),
        ErrorCode.INVALID_ARGUMENT,
        "input 'INPUT1' has datatype FP32 (expected: INT32)");
  }

  @Test
  void wrongShapeForAFixedShapeModelIsInvalid() {
    try (LoadedModel fixed = backend.load(TestModels.request("fixed_shape"));
        ModelInstance fixedInstance = fixed.newInstance(0)) {
      Tensor x = TestModels.direct("x", DataType.FP32, new long[] {8, 4}, b -> b.position(128));

      assertFails(
          () -> fixedInstance.execute(List.of(x), List.of("y")),
          ErrorCode.INVALID_ARGUMENT,
          "model 'fixed_shape'",
          "input 'x' has shape [8, 4] (expected: [4, 4]");
    }
  }

  @Test
  void emptyBatchGivesEmptyOutput() {
    List<Tensor> inputs =
        List.of(int32("INPUT0", new long[] {0, 16}), int32("INPUT1", new long[] {0, 16}));

    List<Tensor> outputs = instance.execute(inputs, List.of("OUTPUT0"));

    assertThat(outputs.get(0).shape()).containsExactly(0, 16);
    assertThat(outputs.get(0).byteSize()).isZero();
  }

  private static List<Tensor> inputs(int a, int b) {
    return List.of(filled("INPUT0", a), filled("INPUT1", b));
  }

  private static Tensor filled(String name, int value) {
    int[] values = new int[16];
    Arrays.fill(values, value);
    return int32(name, SHAPE, values);
  }

  private static void assertFails(ThrowingCallable call, ErrorCode code, String... fragments) {
    var assertion =
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(
                InferenceException.class, e -> assertThat(e.code()).isEqualTo(code));
    for (String fragment : fragments) {
      assertion.hasMessageContaining(fragment);
    }
  }
}
