package dev.infera.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.InferenceRequest;
import dev.infera.core.RequestOptions;
import dev.infera.core.RequestedOutput;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
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
    return assertThatThrownBy(() -> simple.validate(request, Optional.empty()))
        .isInstanceOf(InferenceException.class)
        .satisfies(
            e -> assertThat(((InferenceException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void validRequestCarriesRowsAndEveryOutput() {
    ScheduledRequest scheduled = simple.validate(request(simpleInputs(3)), Optional.empty());

    assertThat(scheduled.rows()).isEqualTo(3);
    assertThat(scheduled.outputNames()).containsExactly("OUTPUT0", "OUTPUT1");
    assertThat(scheduled.inputs()).extracting(Tensor::name).containsExactly("INPUT0", "INPUT1");
  }

  @Test
  void inputsAreOrderedAsTheModelDeclaresThem() {
    ScheduledRequest scheduled =
        simple.validate(
            request(List.of(simpleInputs(1).get(1), simpleInputs(1).get(0))), Optional.empty());

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
                    InferenceRequest.of("fixed", List.of(tensor("x", DataType.FP32, 1, 4, 4))),
                    Optional.empty()))
        .hasMessageContaining("does not support batching")
        .hasMessageContaining("[4, 4]");
    assertThat(
            fixed
                .validate(
                    InferenceRequest.of("fixed", List.of(tensor("x", DataType.FP32, 4, 4))),
                    Optional.empty())
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
            RequestOptions.DEFAULT);
    InferenceRequest unknown =
        new InferenceRequest(
            "simple",
            Optional.empty(),
            Optional.empty(),
            simpleInputs(1),
            List.of(RequestedOutput.named("OUTPUT7")),
            RequestOptions.DEFAULT);

    assertThat(simple.validate(asked, Optional.empty()).outputNames())
        .containsExactly("OUTPUT1", "OUTPUT0");
    assertRejected(unknown).hasMessageContaining("unknown output 'OUTPUT7'");
  }

  @Test
  void callerTimeoutReachesTheScheduledRequest() {
    InferenceRequest request = request(simpleInputs(1));

    assertThat(simple.validate(request, Optional.of(Duration.ofMillis(2))).timeout())
        .contains(Duration.ofMillis(2));
  }

  @Test
  void priorityBeyondTheModelsLevelsTakesTheDefaultLevelAsTritonDoes() {
    RequestValidator prioritized = new RequestValidator("model 'simple' version '1'", SIMPLE, 2);
    InferenceRequest beyond =
        request(simpleInputs(1)).withOptions(RequestOptions.builder().priority(3).build());
    InferenceRequest second =
        request(simpleInputs(1)).withOptions(RequestOptions.builder().priority(2).build());

    assertThat(prioritized.validate(beyond, Optional.empty()).priority()).isZero();
    assertThat(prioritized.validate(second, Optional.empty()).priority()).isEqualTo(2);
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
        validator.validate(
            InferenceRequest.of("r", List.of(tensor("in", DataType.FP32, 2, 6))), Optional.empty());

    assertThat(scheduled.inputs().get(0).shape()).containsExactly(2, 2, 3);
    assertThat(validator.toClientShape(tensor("out", DataType.FP32, 2, 2, 3), 2).shape())
        .containsExactly(2, 6);
  }
}
