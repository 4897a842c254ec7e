package dev.infera.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.RequestOptions;
import dev.infera.core.RequestedOutput;
import dev.infera.core.SharedMemoryPlacement;
import dev.infera.server.extension.SharedMemoryOutputs;
import dev.infera.server.extension.SharedMemoryRegistry;
import dev.infera.server.extension.SharedMemoryTensors;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferRequest.InferInputTensor;
import dev.infera.server.grpc.proto.ModelInferRequest.InferRequestedOutputTensor;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.grpc.proto.ModelInferResponse.InferOutputTensor;
import dev.infera.server.protocol.ClassLabels;
import dev.infera.server.protocol.Classification;
import dev.infera.server.protocol.DataTypes;
import dev.infera.server.protocol.InferenceRequests;
import dev.infera.server.protocol.OutputRequest;
import dev.infera.server.protocol.RawTensors;
import dev.infera.server.protocol.TensorShapes;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Converts {@code ModelInfer} messages to and from the engine's {@link InferenceRequest} and {@link
 * InferenceResponse}. Stateless and thread-safe.
 *
 * <p>Inputs come from typed {@code contents} or from {@code raw_input_contents} (one entry per
 * input not in shared memory, in order), never both. The answer always carries {@code
 * raw_output_contents}, whatever the inputs used, as Triton answers (its clients read nothing
 * else). Every decoding problem is an {@code INVALID_ARGUMENT} naming the tensor or field.
 */
public final class ModelInferCodec {
  private ModelInferCodec() {}

  /** The engine's request for a protocol request that places no tensor in shared memory. */
  public static InferenceRequest decode(ModelInferRequest request) {
    return decode(request, null, name -> null, options -> options);
  }

  /**
   * The engine's request for a protocol request.
   *
   * @param sharedMemory the regions inputs placed in shared memory are read from (null: such inputs
   *     are refused)
   * @param metadata looks a call's metadata key up by lower-case name; null when absent
   * @param edge adds what only the call knows (its deadline)
   */
  public static InferenceRequest decode(
      ModelInferRequest request,
      SharedMemoryRegistry sharedMemory,
      Function<String, String> metadata,
      UnaryOperator<RequestOptions.Builder> edge) {
    if (request.getModelName().isEmpty()) {
      throw InferenceException.invalidArgument("model_name is empty (expected a model's name)");
    }
    return InferenceRequests.assemble(
        request.getModelName(),
        optional(request.getModelVersion()),
        optional(request.getId()),
        InferParameters.decode(request.getParametersMap(), "request"),
        decodeInputs(request, sharedMemory),
        decodeOutputs(request.getOutputsList()),
        metadata,
        edge);
  }

  private static List<Tensor> decodeInputs(
      ModelInferRequest request, SharedMemoryRegistry sharedMemory) {
    int count = request.getInputsCount();
    SharedMemoryPlacement[] placements = new SharedMemoryPlacement[count];
    int inMessage = 0;
    for (int i = 0; i < count; i++) {
      InferInputTensor input = request.getInputs(i);
      Map<String, Object> parameters =
          InferParameters.decode(input.getParametersMap(), "input '" + input.getName() + "'");
      placements[i] = SharedMemoryTensors.placement("input '" + input.getName() + "'", parameters);
      if (placements[i] == null) {
        inMessage++;
      }
    }
    int rawCount = request.getRawInputContentsCount();
    boolean raw = rawCount > 0;
    if (raw && rawCount != inMessage) {
      throw InferenceException.invalidArgument(
          "raw_input_contents has "
              + rawCount
              + " entries for "
              + inMessage
              + " inputs not in shared memory (expected one per such input, in the order of"
              + " 'inputs')");
    }
    List<Tensor> inputs = new ArrayList<>(count);
    Set<String> names = new HashSet<>();
    int rawIndex = 0;
    for (int i = 0; i < count; i++) {
      InferInputTensor input = request.getInputs(i);
      if (!names.add(input.getName())) {
        throw InferenceException.invalidArgument(
            "input '" + input.getName() + "' is given more than once");
      }
      if (placements[i] != null) {
        inputs.add(fromSharedMemory(input, placements[i], sharedMemory));
      } else {
        inputs.add(raw ? decodeRaw(input, request, rawIndex++) : decodeTyped(input));
      }
    }
    return inputs;
  }

  private static Tensor fromSharedMemory(
      InferInputTensor input, SharedMemoryPlacement placement, SharedMemoryRegistry sharedMemory) {
    if (input.hasContents()) {
      throw InferenceException.invalidArgument(
          "input '"
              + input.getName()
              + "': contents given along with a shared memory region (expected one or the other)");
    }
    if (sharedMemory == null) {
      throw InferenceException.invalidArgument(
          "input '" + input.getName() + "': shared memory is not available on this endpoint");
    }
    DataType type = dataType(input);
    long[] shape = shape(input);
    return SharedMemoryTensors.readInput(sharedMemory, input.getName(), type, shape, placement);
  }

  private static Tensor decodeRaw(InferInputTensor input, ModelInferRequest request, int index) {
    if (input.hasContents()) {
      throw InferenceException.invalidArgument(
          "input '"
              + input.getName()
              + "': contents given along with raw_input_contents (expected one or the other)");
    }
    DataType type = dataType(input);
    long[] shape = shape(input);
    return RawTensors.decode(
        input.getName(),
        type,
        shape,
        request.getRawInputContents(index).asReadOnlyByteBuffer(),
        "raw contents",
        TensorShapes.UNLIMITED);
  }

  private static Tensor decodeTyped(InferInputTensor input) {
    DataType type = dataType(input);
    long[] shape = shape(input);
    return TypedContents.decode(input.getName(), type, shape, input.getContents());
  }

  private static long[] shape(InferInputTensor input) {
    // the per-tensor limit is applied to every ModelInfer message before it reaches the service
    return TensorShapes.UNLIMITED.shape("input '" + input.getName() + "'", input.getShapeList());
  }

  private static DataType dataType(InferInputTensor input) {
    return DataTypes.parse("input '" + input.getName() + "'", input.getDatatype());
  }

  private static List<OutputRequest> decodeOutputs(List<InferRequestedOutputTensor> outputs) {
    List<OutputRequest> requested = new ArrayList<>(outputs.size());
    for (InferRequestedOutputTensor output : outputs) {
      String where = "output '" + output.getName() + "'";
      requested.add(
          new OutputRequest(
              output.getName(), InferParameters.decode(output.getParametersMap(), where)));
    }
    return requested;
  }

  /** The protocol answer for a request that places no output in shared memory. */
  public static ModelInferResponse encode(InferenceResponse response, InferenceRequest request) {
    return encode(response, request, SharedMemoryOutputs.NONE, ClassLabels.NONE);
  }

  /**
   * The protocol answer, every output in {@code raw_output_contents}. Only the outputs the request
   * asked for are sent (all, when it asked for none), each classified when it asked so; the
   * request's id is echoed when the engine's answer carries none. The outputs in {@code
   * sharedMemory} are written to their regions: those carry the region's parameters and an empty
   * raw entry, which keeps the others' positions.
   */
  public static ModelInferResponse encode(
      InferenceResponse response,
      InferenceRequest request,
      SharedMemoryOutputs sharedMemory,
      ClassLabels labels) {
    List<Tensor> outputs = selectOutputs(response.outputs(), request.outputs());
    ModelInferResponse.Builder answer =
        ModelInferResponse.newBuilder()
            .setModelName(response.modelName())
            .setModelVersion(response.modelVersion())
            .setId(response.id().or(request::id).orElse(""))
            .putAllParameters(InferParameters.encode(response.parameters()));
    for (Tensor computed : outputs) {
      int classes = request.outputOptions(computed.name()).classCount();
      Tensor output =
          classes > 0
              ? Classification.topK(computed, classes, labels.of(computed.name()), labels.batched())
              : computed;
      InferOutputTensor.Builder tensor =
          InferOutputTensor.newBuilder()
              .setName(output.name())
              .setDatatype(output.dataType().protocolName());
      for (long dim : output.shape()) {
        tensor.addShape(dim);
      }
      if (sharedMemory.contains(output.name())) {
        tensor.putAllParameters(InferParameters.encode(sharedMemory.write(output)));
        answer.addRawOutputContents(ByteString.EMPTY);
      } else {
        answer.addRawOutputContents(UnsafeByteOperations.unsafeWrap(RawTensors.encode(output)));
      }
      answer.addOutputs(tensor);
    }
    return answer.build();
  }

  private static List<Tensor> selectOutputs(List<Tensor> outputs, List<RequestedOutput> asked) {
    if (asked.isEmpty()) {
      return outputs;
    }
    Set<String> names = new HashSet<>();
    asked.forEach(output -> names.add(output.name()));
    return outputs.stream().filter(output -> names.contains(output.name())).toList();
  }

  private static Optional<String> optional(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
