package dev.infera.server.grpc;

import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.RequestedOutput;
import dev.infera.server.extension.SharedMemoryOutputs;
import dev.infera.server.extension.SharedMemoryRegistry;
import dev.infera.server.extension.SharedMemoryTensors;
import dev.infera.server.extension.SharedMemoryTensors.Placement;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferRequest.InferInputTensor;
import dev.infera.server.grpc.proto.ModelInferRequest.InferRequestedOutputTensor;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.grpc.proto.ModelInferResponse.InferOutputTensor;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Converts {@code ModelInfer} messages to and from the engine's {@link InferenceRequest} and {@link
 * InferenceResponse}. Stateless and thread-safe.
 *
 * <p>Inputs come from typed {@code contents} or from {@code raw_input_contents} (one entry per
 * input, in order), never both. The answer uses {@code raw_output_contents} when the request used
 * raw inputs, or when an output has no typed field (FP16, BF16); otherwise typed contents. Every
 * decoding problem is an {@code INVALID_ARGUMENT} naming the tensor or field.
 */
public final class ModelInferCodec {
  private static final String DATATYPES =
      Arrays.stream(DataType.values())
          .map(DataType::protocolName)
          .collect(Collectors.joining(", "));

  private ModelInferCodec() {}

  /** The engine's request for a protocol request that places no tensor in shared memory. */
  public static InferenceRequest decode(ModelInferRequest request) {
    return decode(request, null);
  }

  /**
   * The engine's request for a protocol request; inputs placed in shared memory are read from
   * {@code sharedMemory}'s regions (null: such inputs are refused).
   */
  public static InferenceRequest decode(
      ModelInferRequest request, SharedMemoryRegistry sharedMemory) {
    if (request.getModelName().isEmpty()) {
      throw InferenceException.invalidArgument("model_name is empty (expected a model's name)");
    }
    return new InferenceRequest(
        request.getModelName(),
        optional(request.getModelVersion()),
        optional(request.getId()),
        decodeInputs(request, sharedMemory),
        decodeOutputs(request.getOutputsList()),
        InferParameters.decode(request.getParametersMap(), "request"));
  }

  /** Whether the answer to this request carries raw output contents. */
  public static boolean wantsRawOutputs(ModelInferRequest request) {
    return request.getRawInputContentsCount() > 0;
  }

  private static List<Tensor> decodeInputs(
      ModelInferRequest request, SharedMemoryRegistry sharedMemory) {
    int count = request.getInputsCount();
    Placement[] placements = new Placement[count];
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
      InferInputTensor input, Placement placement, SharedMemoryRegistry sharedMemory) {
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
    long[] shape = TensorShapes.shape(input.getName(), input.getShapeList());
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
    long[] shape = TensorShapes.shape(input.getName(), input.getShapeList());
    return RawContents.decode(input.getName(), type, shape, request.getRawInputContents(index));
  }

  private static Tensor decodeTyped(InferInputTensor input) {
    DataType type = dataType(input);
    long[] shape = TensorShapes.shape(input.getName(), input.getShapeList());
    return TypedContents.decode(input.getName(), type, shape, input.getContents());
  }

  private static DataType dataType(InferInputTensor input) {
    return DataType.fromProtocolName(input.getDatatype())
        .orElseThrow(
            () ->
                InferenceException.invalidArgument(
                    "input '"
                        + input.getName()
                        + "': unknown datatype '"
                        + input.getDatatype()
                        + "' (expected one of "
                        + DATATYPES
                        + ")"));
  }

  private static List<RequestedOutput> decodeOutputs(List<InferRequestedOutputTensor> outputs) {
    List<RequestedOutput> requested = new ArrayList<>(outputs.size());
    for (InferRequestedOutputTensor output : outputs) {
      String where = "output '" + output.getName() + "'";
      requested.add(
          new RequestedOutput(
              output.getName(), InferParameters.decode(output.getParametersMap(), where)));
    }
    return requested;
  }

  /**
   * The protocol answer. Only the outputs the request asked for are sent (all, when it asked for
   * none); the request's id is echoed when the engine's answer carries none.
   */
  public static ModelInferResponse encode(
      InferenceResponse response, InferenceRequest request, boolean rawOutputs) {
    return encode(response, request, rawOutputs, SharedMemoryOutputs.NONE);
  }

  /**
   * The protocol answer, with the outputs in {@code sharedMemory} written to their regions: those
   * carry the region's parameters and no data (an empty raw entry keeps the others' positions).
   */
  public static ModelInferResponse encode(
      InferenceResponse response,
      InferenceRequest request,
      boolean rawOutputs,
      SharedMemoryOutputs sharedMemory) {
    List<Tensor> outputs = selectOutputs(response.outputs(), request.outputs());
    boolean raw =
        rawOutputs || outputs.stream().anyMatch(t -> !TypedContents.isRepresentable(t.dataType()));
    ModelInferResponse.Builder answer =
        ModelInferResponse.newBuilder()
            .setModelName(response.modelName())
            .setModelVersion(response.modelVersion())
            .setId(response.id().or(request::id).orElse(""))
            .putAllParameters(InferParameters.encode(response.parameters()));
    for (Tensor output : outputs) {
      InferOutputTensor.Builder tensor =
          InferOutputTensor.newBuilder()
              .setName(output.name())
              .setDatatype(output.dataType().protocolName());
      for (long dim : output.shape()) {
        tensor.addShape(dim);
      }
      if (sharedMemory.contains(output.name())) {
        tensor.putAllParameters(InferParameters.encode(sharedMemory.write(output)));
        if (raw) {
          answer.addRawOutputContents(com.google.protobuf.ByteString.EMPTY);
        }
      } else if (raw) {
        answer.addRawOutputContents(RawContents.encode(output));
      } else {
        tensor.setContents(TypedContents.encode(output));
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
