package dev.infera.server.it;

import com.google.protobuf.ByteString;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.infera.server.grpc.proto.InferParameter;
import dev.infera.server.grpc.proto.InferTensorContents;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.grpc.proto.ModelMetadataRequest;
import dev.infera.server.grpc.proto.ModelMetadataResponse;
import dev.infera.server.grpc.proto.ModelReadyRequest;
import dev.infera.server.grpc.proto.ServerLiveRequest;
import dev.infera.server.grpc.proto.ServerReadyRequest;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A KServe v2 gRPC client over grpc-java's generated stub, sending typed {@code contents} or {@code
 * raw_input_contents}.
 */
final class GrpcClient implements ProtocolClient {
  private final ManagedChannel channel;
  private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;
  private final boolean raw;

  GrpcClient(int port, boolean raw) {
    this.channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    this.stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    this.raw = raw;
  }

  GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub() {
    return stub;
  }

  @Override
  public Reply infer(Call call) {
    ModelInferRequest.Builder request =
        ModelInferRequest.newBuilder()
            .setModelName(call.model())
            .setModelVersion(call.version() == null ? "" : call.version());
    if (call.id() != null) {
      request.setId(call.id());
    }
    call.parameters().forEach((key, value) -> request.putParameters(key, parameter(value)));
    for (Tensor tensor : call.inputs()) {
      ModelInferRequest.InferInputTensor.Builder input =
          request.addInputsBuilder().setName(tensor.name()).setDatatype(tensor.dataType().name());
      Arrays.stream(tensor.shape()).forEach(input::addShape);
      if (raw) {
        request.addRawInputContents(ByteString.copyFrom(RestClient.binaryOf(tensor)));
      } else {
        input.setContents(contents(tensor));
      }
    }
    call.outputs().forEach(name -> request.addOutputsBuilder().setName(name));
    return send(request.build());
  }

  Reply send(ModelInferRequest request) {
    try {
      return reply(stub.modelInfer(request));
    } catch (StatusRuntimeException e) {
      return Reply.failure(outcome(e.getStatus()), e.getStatus().getDescription());
    }
  }

  static Outcome outcome(Status status) {
    return switch (status.getCode()) {
      case OK -> Outcome.OK;
      case INVALID_ARGUMENT -> Outcome.INVALID_ARGUMENT;
      case NOT_FOUND -> Outcome.NOT_FOUND;
      case UNAVAILABLE -> Outcome.UNAVAILABLE;
      case DEADLINE_EXCEEDED -> Outcome.DEADLINE_EXCEEDED;
      case RESOURCE_EXHAUSTED -> Outcome.RESOURCE_EXHAUSTED;
      case INTERNAL -> Outcome.INTERNAL;
      default -> Outcome.OTHER;
    };
  }

  private static InferParameter parameter(Object value) {
    if (value instanceof Boolean b) {
      return InferParameter.newBuilder().setBoolParam(b).build();
    }
    if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
      return InferParameter.newBuilder().setInt64Param(n.longValue()).build();
    }
    if (value instanceof Number n) {
      return InferParameter.newBuilder().setDoubleParam(n.doubleValue()).build();
    }
    return InferParameter.newBuilder().setStringParam(String.valueOf(value)).build();
  }

  private static InferTensorContents contents(Tensor tensor) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    if (tensor.dataType() == DataType.BYTES) {
      tensor.elements().forEach(e -> contents.addBytesContents(ByteString.copyFrom(e)));
      return contents.build();
    }
    ByteBuffer data = tensor.data();
    for (long i = 0; i < tensor.elementCount(); i++) {
      switch (tensor.dataType()) {
        case BOOL -> contents.addBoolContents(data.get() != 0);
        case INT8 -> contents.addIntContents(data.get());
        case INT16 -> contents.addIntContents(data.getShort());
        case INT32 -> contents.addIntContents(data.getInt());
        case INT64 -> contents.addInt64Contents(data.getLong());
        case UINT8 -> contents.addUintContents(data.get() & 0xff);
        case UINT16 -> contents.addUintContents(data.getShort() & 0xffff);
        case UINT32 -> contents.addUintContents(data.getInt());
        case UINT64 -> contents.addUint64Contents(data.getLong());
        case FP32 -> contents.addFp32Contents(data.getFloat());
        case FP64 -> contents.addFp64Contents(data.getDouble());
        default -> throw new IllegalArgumentException("no typed contents for " + tensor.dataType());
      }
    }
    return contents.build();
  }

  /**
   * The reply's outputs, read from {@code raw_output_contents} only: as Triton does, the server
   * answers every request (typed or raw inputs) that way, and Triton's clients read nothing else.
   */
  private static Reply reply(ModelInferResponse response) {
    if (response.getRawOutputContentsCount() != response.getOutputsCount()) {
      throw new AssertionError(
          "the answer carries "
              + response.getRawOutputContentsCount()
              + " raw_output_contents for "
              + response.getOutputsCount()
              + " outputs");
    }
    List<Tensor> outputs = new ArrayList<>();
    for (int i = 0; i < response.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor output = response.getOutputs(i);
      if (output.hasContents()) {
        throw new AssertionError("output '" + output.getName() + "' carries typed contents");
      }
      DataType type = DataType.fromProtocolName(output.getDatatype()).orElseThrow();
      long[] shape = output.getShapeList().stream().mapToLong(Long::longValue).toArray();
      outputs.add(fromRaw(output.getName(), type, shape, response.getRawOutputContents(i)));
    }
    return new Reply(
        Outcome.OK,
        null,
        response.getModelName(),
        response.getModelVersion(),
        response.getId().isEmpty() ? null : response.getId(),
        outputs);
  }

  private static Tensor fromRaw(String name, DataType type, long[] shape, ByteString bytes) {
    ByteBuffer buffer = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    if (type != DataType.BYTES) {
      return Tensor.of(name, type, shape, buffer);
    }
    List<byte[]> elements = new ArrayList<>();
    while (buffer.hasRemaining()) {
      byte[] element = new byte[buffer.getInt()];
      buffer.get(element);
      elements.add(element);
    }
    return Tensor.ofBytes(name, shape, elements);
  }

  @Override
  public Metadata metadata(String model, String version) {
    try {
      ModelMetadataResponse response =
          stub.modelMetadata(
              ModelMetadataRequest.newBuilder()
                  .setName(model)
                  .setVersion(version == null ? "" : version)
                  .build());
      return new Metadata(
          Outcome.OK,
          null,
          response.getName(),
          response.getVersionsList(),
          response.getPlatform(),
          response.getInputsList().stream().map(GrpcClient::describe).toList(),
          response.getOutputsList().stream().map(GrpcClient::describe).toList());
    } catch (StatusRuntimeException e) {
      return new Metadata(
          outcome(e.getStatus()),
          e.getStatus().getDescription(),
          null,
          List.of(),
          null,
          List.of(),
          List.of());
    }
  }

  private static String describe(ModelMetadataResponse.TensorMetadata tensor) {
    return tensor.getName()
        + ":"
        + tensor.getDatatype()
        + ":"
        + Arrays.toString(tensor.getShapeList().stream().mapToLong(Long::longValue).toArray());
  }

  @Override
  public boolean serverLive() {
    return stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive();
  }

  @Override
  public boolean serverReady() {
    return stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady();
  }

  @Override
  public Outcome modelReady(String model, String version) {
    try {
      boolean ready =
          stub.modelReady(
                  ModelReadyRequest.newBuilder()
                      .setName(model)
                      .setVersion(version == null ? "" : version)
                      .build())
              .getReady();
      return ready ? Outcome.OK : Outcome.UNAVAILABLE;
    } catch (StatusRuntimeException e) {
      return outcome(e.getStatus());
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
