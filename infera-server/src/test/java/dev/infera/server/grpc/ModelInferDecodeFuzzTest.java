package dev.infera.server.grpc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.infera.core.InferenceRequest;
import dev.infera.core.contract.ModelInterface;
import dev.infera.core.contract.RequestValidator;
import dev.infera.core.contract.TensorContract;
import dev.infera.server.extension.SharedMemoryOutputs;
import dev.infera.server.extension.SharedMemoryRegistry;
import dev.infera.server.grpc.proto.InferParameter;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.protocol.ClientErrorVerdict;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.NonFiniteValues;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes the gRPC {@code ModelInfer} decode path with arbitrary message bytes, as far as the
 * engine: protobuf parse (a failure must be classed {@code INVALID_ARGUMENT}, as {@link
 * GrpcClientFaults} does for the server), then {@link ModelInferCodec} (typed and raw contents,
 * BYTES framing, shapes, parameters, shared-memory placements against an empty registry), then the
 * core's {@link RequestValidator} for a model taking {@code INPUT0} FP32 [-1, 4] (finite values and
 * NaN) and {@code TEXT} BYTES [-1, 1] with two priority levels. Each input either becomes a valid
 * scheduled request or is refused with a client error ({@link ClientErrorVerdict}); any other
 * exception is a finding. A plain test run replays the committed corpus ({@code
 * ModelInferDecodeFuzzTestInputs}); {@code JAZZER_FUZZ=1} fuzzes (see docs/security.md).
 */
class ModelInferDecodeFuzzTest {
  private static final ModelInterface CONTRACT =
      new ModelInterface(
          8,
          List.of(
              new TensorContract("INPUT0", DataType.FP32, new long[] {4}, Optional.empty()),
              new TensorContract("TEXT", DataType.BYTES, new long[] {1}, Optional.empty())),
          List.of(
              new TensorContract("OUTPUT0", DataType.FP32, new long[] {4}, Optional.empty()),
              new TensorContract("OUTPUT1", DataType.BYTES, new long[] {1}, Optional.empty())));
  private static final RequestValidator VALIDATOR =
      new RequestValidator("model 'fuzz' version '1'", CONTRACT, 2, NonFiniteValues.NAN_ONLY);
  private static final SharedMemoryRegistry SHARED_MEMORY = emptyRegistry();

  @FuzzTest(maxDuration = "60s")
  void decodeModelInfer(byte[] message) {
    ModelInferRequest request;
    try {
      request = ModelInferRequest.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      Status status = GrpcClientFaults.classify(null, Status.UNKNOWN, e, new Metadata());
      if (status == null || status.getCode() != Status.Code.INVALID_ARGUMENT) {
        throw new AssertionError("malformed protobuf is answered " + status, e);
      }
      return;
    }
    try {
      InferenceRequest decoded =
          ModelInferCodec.decode(request, SHARED_MEMORY, name -> null, options -> options);
      SharedMemoryOutputs.resolve(SHARED_MEMORY, decoded.outputs());
      VALIDATOR.validate(decoded, Optional.empty());
    } catch (InferenceException e) {
      ClientErrorVerdict.requireClientError(e, sentStrings(request));
    }
  }

  /** Every string the message carries: names, datatypes, parameter keys and string values. */
  private static List<String> sentStrings(ModelInferRequest request) {
    List<String> sent = new ArrayList<>();
    sent.add(request.getModelName());
    sent.add(request.getModelVersion());
    sent.add(request.getId());
    addParameters(sent, request.getParametersMap());
    for (ModelInferRequest.InferInputTensor input : request.getInputsList()) {
      sent.add(input.getName());
      sent.add(input.getDatatype());
      addParameters(sent, input.getParametersMap());
      input.getContents().getBytesContentsList().forEach(b -> sent.add(b.toStringUtf8()));
    }
    for (ModelInferRequest.InferRequestedOutputTensor output : request.getOutputsList()) {
      sent.add(output.getName());
      addParameters(sent, output.getParametersMap());
    }
    return sent;
  }

  private static void addParameters(List<String> sent, Map<String, InferParameter> parameters) {
    parameters.forEach(
        (key, value) -> {
          sent.add(key);
          sent.add(value.getStringParam());
        });
  }

  private static SharedMemoryRegistry emptyRegistry() {
    try {
      return new SharedMemoryRegistry(Files.createTempDirectory("infera-fuzz-shm"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
