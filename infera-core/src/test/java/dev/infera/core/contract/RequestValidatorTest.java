package dev.infera.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.InferenceRequest;
import dev.infera.core.RequestedOutput;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  private static final ModelInterface SIMPLE =
      new ModelInterface(
          8,
          List.of(
              new TensorContract("INPUT0", DataType.INT32, new long[] {16}, Optional.empty()),
              new TensorContract("INPUT1", DataType.INT32, new long[] {16}, Optional.empty())),
          List.of(
              new TensorContract("OUTPUT0", DataType.INT32, new long[] {16}, Optional.empty()),
              new TensorContract("OUTPUT1", DataType.INT32, new long[] {16}, Optional.empty())));

  private static final ModelInterface FIXED =
      new ModelInterface(
          0,
          List.of(new TensorContract("x", DataType.FP32, new long[] {4, 4}, Optional.empty())),
          List.of(new TensorContract("y", DataType.FP32, new long[] {4, 4}, Optional.empty())));

  private final RequestValidator simple =
      new RequestValidator("model 'simple' version '1'", SIMPLE, 0);

  private static Tensor tensor(String name, DataType type, long... shape) {
    long count = Tensor.elementCount(shape);
    return Tensor.of(name, type, shape, ByteBuffer.allocate((int) (count * type.byteSize())));
  }

  private static InferenceRequest request(List<Tensor> inputs) {
    return InferenceRequest.of("simple", inputs);
  }

  private static List<Tensor> simpleInputs(long rows) {
    return List.of(
        tensor("INPUT0", DataType.INT32, rows, 16), tensor("INPUT1", DataType.INT32, rows, 16));
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(InferenceRequest request) {
    return assertThatThrownBy(() -> simple.validate(request))
        .isInstanceOf(InferenceException.class)
        .satisfies(
            e -> assertThat(((InferenceException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void validRequestCarriesRowsAndEveryOutput() {
    ScheduledRequest scheduled = simple.validate(request(simpleInputs(3)));

    assertThat(scheduled.rows()).isEqualTo(3);
    assertThat(scheduled.outputNames()).containsExactly("OUTPUT0", "OUTPUT1");
    assertThat(scheduled.inputs()).extracting(Tensor::name).containsExactly("INPUT0", "INPUT1");
  }

  @Test
  void inputsAreOrderedAsTheModelDeclaresThem() {
    ScheduledRequest scheduled =
        simple.validate(request(List.of(simpleInputs(1).get(1), simpleInputs(1).get(0))));

    assertThat(scheduled.inputs()).extracting(Tensor::name).containsExactly("INPUT0", "INPUT1");
  }

  @Test
  void unknownInputNamesTheExpectedOnes() {
    assertRejected(request(List.of(tensor("INPUT9", DataType.INT32, 1, 16))))
        .hasMessageContaining("unknown input 'INPUT9'")
        .hasMessageContaining("INPUT0, INPUT1");
  }

  @Test
  void missingInputIsNamed() {
    assertRejected(request(simpleInputs(1).subList(0, 1)))
        .hasMessageContaining("missing input 'INPUT1'");
  }

  @Test
  void duplicateInputIsRejected() {
    Tensor input0 = simpleInputs(1).get(0);
    assertRejected(request(List.of(input0, input0, simpleInputs(1).get(1))))
        .hasMessageContaining("more than once");
  }

  @Test
  void wrongDatatypeNamesBoth() {
    assertRejected(request(List.of(simpleInputs(1).get(0), tensor("INPUT1", DataType.FP32, 1, 16))))
        .hasMessageContaining("'INPUT1'")
        .hasMessageContaining("FP32")
        .hasMessageContaining("expected INT32");
  }

  @Test
  void wrongDimsShowTheExpectedShape() {
    assertRejected(
            request(
                List.of(
                    tensor("INPUT0", DataType.INT32, 1, 15),
                    tensor("INPUT1", DataType.INT32, 1, 15))))
        .hasMessageContaining("[1, 15]")
        .hasMessageContaining("[-1, 16]");
  }

  @Test
  void batchAboveMaxBatchSizeIsRejected() {
    assertRejected(request(simpleInputs(9)))
        .hasMessageContaining("batch size 9")
        .hasMessageContaining("8");
  }

  @Test
  void emptyBatchIsRejected() {
    assertRejected(request(simpleInputs(0))).hasMessageContaining("batch size 0");
  }

  @Test
  void differentBatchSizesAcrossInputsAreRejected() {
    assertRejected(
            request(
                List.of(
                    tensor("INPUT0", DataType.INT32, 2, 16),
                    tensor("INPUT1", DataType.INT32, 3, 16))))
        .hasMessageContaining("different batch sizes");
  }

  @Test
  void batchDimensionOnNonBatchableModelIsExplained() {
    RequestValidator fixed = new RequestValidator("model 'fixed' version '1'", FIXED, 0);

    assertThatThrownBy(
            () ->
                fixed.validate(
                    InferenceRequest.of("fixed", List.of(tensor("x", DataType.FP32, 1, 4, 4)))))
        .hasMessageContaining("does not support batching")
        .hasMessageContaining("[4, 4]");
    assertThat(
            fixed
                .validate(InferenceRequest.of("fixed", List.of(tensor("x", DataType.FP32, 4, 4))))
                .rows())
        .isEqualTo(1);
  }

  @Test
  void requestedOutputsAreCheckedAndKeptInOrder() {
    InferenceRequest asked =
        new InferenceRequest(
            "simple",
            Optional.empty(),
            Optional.empty(),
            simpleInputs(1),
            List.of(RequestedOutput.named("OUTPUT1"), RequestedOutput.named("OUTPUT0")),
            Map.of());
    InferenceRequest unknown =
        new InferenceRequest(
            "simple",
            Optional.empty(),
            Optional.empty(),
            simpleInputs(1),
            List.of(RequestedOutput.named("OUTPUT7")),
            Map.of());

    assertThat(simple.validate(asked).outputNames()).containsExactly("OUTPUT1", "OUTPUT0");
    assertRejected(unknown).hasMessageContaining("unknown output 'OUTPUT7'");
  }

  @Test
  void timeoutParameterIsMicroseconds() {
    InferenceRequest withTimeout =
        new InferenceRequest(
            "simple",
            Optional.empty(),
            Optional.empty(),
            simpleInputs(1),
            List.of(),
            Map.of("timeout", 1500L));

    assertThat(simple.validate(withTimeout).timeout()).contains(Duration.ofNanos(1_500_000));
  }

  @Test
  void sequenceParametersAreUnimplemented() {
    for (String parameter : RequestValidator.SEQUENCE_PARAMETERS) {
      InferenceRequest inSequence =
          new InferenceRequest(
              "simple",
              Optional.empty(),
              Optional.empty(),
              simpleInputs(1),
              List.of(),
              Map.of(parameter, parameter.equals("sequence_id") ? (Object) 7L : (Object) true));

      assertThatThrownBy(() -> simple.validate(inSequence))
          .isInstanceOfSatisfying(
              dev.infera.spi.InferenceException.class,
              e -> assertThat(e.code()).isEqualTo(dev.infera.spi.ErrorCode.UNIMPLEMENTED))
          .hasMessageContaining("'" + parameter + "'")
          .hasMessageContaining("sequence extension");
    }
  }

  @Test
  void malformedParametersAreRejected() {
    InferenceRequest badTimeout =
        new InferenceRequest(
            "simple",
            Optional.empty(),
            Optional.empty(),
            simpleInputs(1),
            List.of(),
            Map.of("timeout", "soon"));
    RequestValidator prioritized = new RequestValidator("model 'simple' version '1'", SIMPLE, 2);
    InferenceRequest badPriority =
        new InferenceRequest(
            "simple",
            Optional.empty(),
            Optional.empty(),
            simpleInputs(1),
            List.of(),
            Map.of("priority", 3L));

    assertRejected(badTimeout).hasMessageContaining("'timeout'");
    assertThatThrownBy(() -> prioritized.validate(badPriority))
        .hasMessageContaining("'priority' is 3");
  }

  @Test
  void reshapedInputsReachTheModelInItsShape() {
    ModelInterface reshaped =
        new ModelInterface(
            4,
            List.of(
                new TensorContract(
                    "in", DataType.FP32, new long[] {6}, Optional.of(new long[] {2, 3}))),
            List.of(
                new TensorContract(
                    "out", DataType.FP32, new long[] {6}, Optional.of(new long[] {2, 3}))));
    RequestValidator validator = new RequestValidator("model 'r' version '1'", reshaped, 0);

    ScheduledRequest scheduled =
        validator.validate(InferenceRequest.of("r", List.of(tensor("in", DataType.FP32, 2, 6))));

    assertThat(scheduled.inputs().get(0).shape()).containsExactly(2, 2, 3);
    assertThat(validator.toClientShape(tensor("out", DataType.FP32, 2, 2, 3), 2).shape())
        .containsExactly(2, 6);
  }
}
