package dev.infera.server.grpc;

import static dev.infera.server.grpc.Messages.bytes;
import static dev.infera.server.grpc.Messages.input;
import static dev.infera.server.grpc.Messages.littleEndian;
import static dev.infera.server.grpc.Messages.rawRequest;
import static dev.infera.server.grpc.Messages.typed;
import static dev.infera.server.grpc.Messages.typedRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.RequestOptions;
import dev.infera.core.RequestedOutput;
import dev.infera.server.grpc.proto.InferParameter;
import dev.infera.server.grpc.proto.InferTensorContents;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferRequest.InferRequestedOutputTensor;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelInferCodecTest {
  private static final InferTensorContents TWO_FLOATS =
      InferTensorContents.newBuilder().addFp32Contents(1f).addFp32Contents(2f).build();
  private static final ByteString TWO_FLOATS_RAW = bytes(littleEndian(8).putFloat(1f).putFloat(2f));

  private static Tensor floats(String name) {
    return Tensor.of(
        name, DataType.FP32, new long[] {1, 2}, littleEndian(8).putFloat(1f).putFloat(2f).flip());
  }

  private static InferenceResponse answer(Tensor... outputs) {
    return new InferenceResponse("m", "3", Optional.empty(), List.of(outputs), Map.of());
  }

  @Test
  void decodesModelVersionIdAndRequestedOutputs() {
    ModelInferRequest request =
        typedRequest("m", typed("IN", "FP32", TWO_FLOATS, 1, 2)).toBuilder()
            .setModelVersion("3")
            .setId("req-7")
            .addOutputs(InferRequestedOutputTensor.newBuilder().setName("OUT"))
            .build();

    InferenceRequest decoded = ModelInferCodec.decode(request);

    assertThat(decoded.modelName()).isEqualTo("m");
    assertThat(decoded.modelVersion()).contains("3");
    assertThat(decoded.id()).contains("req-7");
    assertThat(decoded.outputs()).containsExactly(RequestedOutput.named("OUT"));
    assertThat(decoded.inputs()).singleElement().extracting(Tensor::name).isEqualTo("IN");
  }

  @Test
  void emptyVersionAndIdMeanNone() {
    InferenceRequest decoded =
        ModelInferCodec.decode(typedRequest("m", typed("IN", "FP32", TWO_FLOATS, 1, 2)));

    assertThat(decoded.modelVersion()).isEmpty();
    assertThat(decoded.id()).isEmpty();
  }

  @Test
  void parametersBecomeTypedOptionsAndTheRestPassThrough() {
    ModelInferRequest request =
        typedRequest("m", typed("IN", "FP32", TWO_FLOATS, 1, 2)).toBuilder()
            .putParameters("priority", InferParameter.newBuilder().setUint64Param(2).build())
            .putParameters("timeout", InferParameter.newBuilder().setInt64Param(5000).build())
            .putParameters("flag", InferParameter.newBuilder().setBoolParam(true).build())
            .putParameters("tag", InferParameter.newBuilder().setStringParam("a").build())
            .putParameters("ratio", InferParameter.newBuilder().setDoubleParam(0.5).build())
            .build();

    RequestOptions options = ModelInferCodec.decode(request).options();

    assertThat(options.priority()).isEqualTo(2);
    assertThat(options.timeout()).contains(Duration.ofMillis(5));
    assertThat(options.parameters())
        .containsExactlyInAnyOrderEntriesOf(Map.of("flag", true, "tag", "a", "ratio", 0.5));
  }

  @Test
  void uint64ParameterAboveLongRangeIsRejected() {
    ModelInferRequest request =
        typedRequest("m").toBuilder()
            .putParameters("huge", InferParameter.newBuilder().setUint64Param(-1L).build())
            .build();

    InvalidArgument.assertThrownBy(
        () -> ModelInferCodec.decode(request), "parameter 'huge'", "18446744073709551615");
  }

  @Test
  void rawInputsAreAnsweredWithRawOutputs() {
    ModelInferRequest request = rawRequest("m", input("IN", "FP32", 1, 2), TWO_FLOATS_RAW);
    InferenceRequest decoded = ModelInferCodec.decode(request);

    ModelInferResponse response = ModelInferCodec.encode(answer(floats("OUT")), decoded);

    assertThat(response.getRawOutputContentsList()).containsExactly(TWO_FLOATS_RAW);
    assertThat(response.getOutputs(0).hasContents()).isFalse();
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 2L);
  }

  @Test
  void typedInputsAreAnsweredWithRawOutputsAsTritonDoes() {
    ModelInferRequest request = typedRequest("m", typed("IN", "FP32", TWO_FLOATS, 1, 2));
    InferenceRequest decoded = ModelInferCodec.decode(request);

    ModelInferResponse response = ModelInferCodec.encode(answer(floats("OUT")), decoded);

    assertThat(response.getRawOutputContentsList()).containsExactly(TWO_FLOATS_RAW);
    assertThat(response.getOutputs(0).hasContents()).isFalse();
    assertThat(response.getModelName()).isEqualTo("m");
    assertThat(response.getModelVersion()).isEqualTo("3");
  }

  @Test
  void fp16OutputsTravelRawBesideTheOthers() {
    Tensor half =
        Tensor.of(
            "HALF", DataType.FP16, new long[] {1}, littleEndian(2).putShort((short) 0x3C00).flip());
    InferenceRequest decoded =
        ModelInferCodec.decode(typedRequest("m", typed("IN", "FP32", TWO_FLOATS, 1, 2)));

    ModelInferResponse response = ModelInferCodec.encode(answer(floats("OUT"), half), decoded);

    assertThat(response.getRawOutputContentsCount()).isEqualTo(2);
    assertThat(response.getOutputsList()).noneMatch(output -> output.hasContents());
  }

  @Test
  void onlyTheRequestedOutputsAreSent() {
    ModelInferRequest request =
        typedRequest("m", typed("IN", "FP32", TWO_FLOATS, 1, 2)).toBuilder()
            .addOutputs(InferRequestedOutputTensor.newBuilder().setName("B"))
            .build();

    ModelInferResponse response =
        ModelInferCodec.encode(answer(floats("A"), floats("B")), ModelInferCodec.decode(request));

    assertThat(response.getOutputsList()).extracting(o -> o.getName()).containsExactly("B");
  }

  @Test
  void theRequestIdIsEchoed() {
    ModelInferRequest request =
        typedRequest("m", typed("IN", "FP32", TWO_FLOATS, 1, 2)).toBuilder().setId("abc").build();

    ModelInferResponse response =
        ModelInferCodec.encode(answer(floats("OUT")), ModelInferCodec.decode(request));

    assertThat(response.getId()).isEqualTo("abc");
  }

  @Test
  void contentsAndRawTogetherAreRejected() {
    ModelInferRequest request =
        rawRequest("m", typed("IN", "FP32", TWO_FLOATS, 1, 2), TWO_FLOATS_RAW);

    InvalidArgument.assertThrownBy(
        () -> ModelInferCodec.decode(request), "input 'IN'", "raw_input_contents");
  }

  @Test
  void rawEntryCountMustMatchTheInputs() {
    ModelInferRequest request =
        rawRequest("m", input("IN", "FP32", 1, 2), TWO_FLOATS_RAW).toBuilder()
            .addInputs(input("OTHER", "FP32", 1, 2))
            .build();

    InvalidArgument.assertThrownBy(
        () -> ModelInferCodec.decode(request), "raw_input_contents has 1 entries for 2 inputs");
  }

  @Test
  void rawSizeMismatchNamesTheInput() {
    ModelInferRequest request = rawRequest("m", input("IN", "FP32", 1, 3), TWO_FLOATS_RAW);

    InvalidArgument.assertThrownBy(
        () -> ModelInferCodec.decode(request), "input 'IN'", "8 bytes", "expected 12");
  }

  @Test
  void unknownDatatypeNamesTheInput() {
    ModelInferRequest request = typedRequest("m", typed("IN", "FLOAT", TWO_FLOATS, 1, 2));

    InvalidArgument.assertThrownBy(
        () -> ModelInferCodec.decode(request), "input 'IN'", "unknown datatype 'FLOAT'");
  }

  @Test
  void fp16InTypedContentsNamesTheInput() {
    ModelInferRequest request = typedRequest("m", typed("IN", "FP16", TWO_FLOATS, 1, 2));

    InvalidArgument.assertThrownBy(
        () -> ModelInferCodec.decode(request), "input 'IN'", "FP16", "raw_input_contents");
  }

  @Test
  void elementCountMismatchNamesTheInput() {
    ModelInferRequest request = typedRequest("m", typed("IN", "FP32", TWO_FLOATS, 3));

    InvalidArgument.assertThrownBy(
        () -> ModelInferCodec.decode(request), "input 'IN'", "2 values", "expected 3");
  }

  @Test
  void negativeDimensionNamesTheInput() {
    ModelInferRequest request = typedRequest("m", typed("IN", "FP32", TWO_FLOATS, -1, 2));

    InvalidArgument.assertThrownBy(
        () -> ModelInferCodec.decode(request), "input 'IN'", "negative dimension");
  }

  @Test
  void duplicateInputNameIsRejected() {
    ModelInferRequest request =
        typedRequest(
            "m", typed("IN", "FP32", TWO_FLOATS, 1, 2), typed("IN", "FP32", TWO_FLOATS, 1, 2));

    InvalidArgument.assertThrownBy(
        () -> ModelInferCodec.decode(request), "input 'IN'", "more than once");
  }

  @Test
  void missingModelNameIsRejected() {
    InvalidArgument.assertThrownBy(
        () -> ModelInferCodec.decode(ModelInferRequest.getDefaultInstance()), "model_name");
  }
}
