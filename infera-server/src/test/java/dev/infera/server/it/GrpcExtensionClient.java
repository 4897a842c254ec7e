package dev.infera.server.it;

import com.google.protobuf.ByteString;
import dev.infera.server.grpc.proto.CudaSharedMemoryRegisterRequest;
import dev.infera.server.grpc.proto.CudaSharedMemoryStatusRequest;
import dev.infera.server.grpc.proto.CudaSharedMemoryUnregisterRequest;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.infera.server.grpc.proto.InferBatchStatistics;
import dev.infera.server.grpc.proto.InferParameter;
import dev.infera.server.grpc.proto.ModelConfigRequest;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.grpc.proto.ModelStatistics;
import dev.infera.server.grpc.proto.ModelStatisticsRequest;
import dev.infera.server.grpc.proto.ServerMetadataRequest;
import dev.infera.server.grpc.proto.StatisticDuration;
import dev.infera.server.grpc.proto.SystemSharedMemoryRegisterRequest;
import dev.infera.server.grpc.proto.SystemSharedMemoryStatusRequest;
import dev.infera.server.grpc.proto.SystemSharedMemoryUnregisterRequest;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The extensions over gRPC, with Triton's messages. */
final class GrpcExtensionClient implements ExtensionClient {
  private final GrpcClient grpc;
  private final GRPCInferenceServiceBlockingStub stub;

  GrpcExtensionClient(int port) {
    this.grpc = new GrpcClient(port, true);
    this.stub = grpc.stub();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  @Override
  public Answer<List<VersionStats>> statistics(String model, String version) {
    return answer(
        () -> {
          List<VersionStats> all = new ArrayList<>();
          for (ModelStatistics s :
              stub.modelStatistics(
                      ModelStatisticsRequest.newBuilder()
                          .setName(orEmpty(model))
                          .setVersion(orEmpty(version))
                          .build())
                  .getModelStatsList()) {
            Map<String, long[]> stats = new LinkedHashMap<>();
            var i = s.getInferenceStats();
            put(stats, "success", i.getSuccess());
            put(stats, "fail", i.getFail());
            put(stats, "queue", i.getQueue());
            put(stats, "compute_input", i.getComputeInput());
            put(stats, "compute_infer", i.getComputeInfer());
            put(stats, "compute_output", i.getComputeOutput());
            put(stats, "cache_hit", i.getCacheHit());
            put(stats, "cache_miss", i.getCacheMiss());
            Map<Long, Long> batches = new LinkedHashMap<>();
            for (InferBatchStatistics b : s.getBatchStatsList()) {
              batches.put(b.getBatchSize(), b.getComputeInfer().getCount());
            }
            all.add(
                new VersionStats(
                    s.getName(),
                    s.getVersion(),
                    s.getLastInference(),
                    s.getInferenceCount(),
                    s.getExecutionCount(),
                    stats,
                    batches));
          }
          return all;
        });
  }

  private static void put(Map<String, long[]> stats, String name, StatisticDuration d) {
    stats.put(name, new long[] {d.getCount(), d.getNs()});
  }

  @Override
  public List<String> extensions() {
    return stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getExtensionsList();
  }

  @Override
  public Answer<Config> config(String model, String version) {
    return answer(
        () -> {
          var config =
              stub.modelConfig(
                      ModelConfigRequest.newBuilder()
                          .setName(model)
                          .setVersion(orEmpty(version))
                          .build())
                  .getConfig();
          List<String> inputs = new ArrayList<>();
          config.getInputList().forEach(input -> inputs.add(input.getName()));
          return new Config(
              config.getName(), config.getPlatform(), config.getMaxBatchSize(), inputs);
        });
  }

  @Override
  public Answer<Void> register(String name, String key, long offset, long byteSize) {
    return answer(
        () -> {
          stub.systemSharedMemoryRegister(
              SystemSharedMemoryRegisterRequest.newBuilder()
                  .setName(name)
                  .setKey(key)
                  .setOffset(offset)
                  .setByteSize(byteSize)
                  .build());
          return null;
        });
  }

  @Override
  public Answer<Void> unregister(String name) {
    return answer(
        () -> {
          stub.systemSharedMemoryUnregister(
              SystemSharedMemoryUnregisterRequest.newBuilder().setName(orEmpty(name)).build());
          return null;
        });
  }

  @Override
  public Answer<List<Region>> status(String name) {
    return answer(
        () ->
            stub
                .systemSharedMemoryStatus(
                    SystemSharedMemoryStatusRequest.newBuilder().setName(orEmpty(name)).build())
                .getRegionsMap()
                .values()
                .stream()
                .map(r -> new Region(r.getName(), r.getKey(), r.getOffset(), r.getByteSize()))
                .toList());
  }

  @Override
  public Answer<Void> cudaRegister(String name) {
    return answer(
        () -> {
          stub.cudaSharedMemoryRegister(
              CudaSharedMemoryRegisterRequest.newBuilder()
                  .setName(name)
                  .setRawHandle(com.google.protobuf.ByteString.copyFrom(new byte[16]))
                  .setByteSize(16)
                  .build());
          return null;
        });
  }

  @Override
  public Answer<Integer> cudaRegionCount() {
    return answer(
        () ->
            stub.cudaSharedMemoryStatus(CudaSharedMemoryStatusRequest.getDefaultInstance())
                .getRegionsCount());
  }

  @Override
  public Answer<Void> cudaUnregisterAll() {
    return answer(
        () -> {
          stub.cudaSharedMemoryUnregister(CudaSharedMemoryUnregisterRequest.getDefaultInstance());
          return null;
        });
  }

  @Override
  public Answer<List<AnsweredOutput>> inferShm(
      String model, List<ShmInput> inputs, List<ShmOutput> outputs) {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
    for (ShmInput input : inputs) {
      var tensor = request.addInputsBuilder().setName(input.name()).setDatatype("INT32");
      for (long d : input.shape()) {
        tensor.addShape(d);
      }
      if (input.region() == null) {
        ByteBuffer raw =
            ByteBuffer.allocate(4 * input.inline().length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : input.inline()) {
          raw.putInt(v);
        }
        request.addRawInputContents(ByteString.copyFrom(raw.flip()));
      } else {
        placement(tensor::putParameters, input.region(), input.offset(), input.size());
      }
    }
    for (ShmOutput output : outputs) {
      var tensor = request.addOutputsBuilder().setName(output.name());
      if (output.region() != null) {
        placement(tensor::putParameters, output.region(), output.offset(), output.size());
      }
    }
    return answer(
        () -> {
          ModelInferResponse response = stub.modelInfer(request.build());
          List<AnsweredOutput> answered = new ArrayList<>();
          for (int i = 0; i < response.getOutputsCount(); i++) {
            var o = response.getOutputs(i);
            Map<String, Object> parameters = new LinkedHashMap<>();
            o.getParametersMap()
                .forEach(
                    (k, v) ->
                        parameters.put(
                            k,
                            v.hasStringParam()
                                ? v.getStringParam()
                                : v.hasInt64Param() ? v.getInt64Param() : v.getUint64Param()));
            int[] data = null;
            if (i < response.getRawOutputContentsCount()
                && !response.getRawOutputContents(i).isEmpty()) {
              ByteBuffer raw =
                  response
                      .getRawOutputContents(i)
                      .asReadOnlyByteBuffer()
                      .order(ByteOrder.LITTLE_ENDIAN);
              data = new int[raw.remaining() / 4];
              for (int j = 0; j < data.length; j++) {
                data[j] = raw.getInt();
              }
            } else if (o.hasContents()) {
              data =
                  o.getContents().getIntContentsList().stream()
                      .mapToInt(Integer::intValue)
                      .toArray();
            }
            answered.add(
                new AnsweredOutput(
                    o.getName(), o.getDatatype(), o.getShapeList(), parameters, data));
          }
          return answered;
        });
  }

  private static void placement(
      java.util.function.BiConsumer<String, InferParameter> put,
      String region,
      long offset,
      long size) {
    put.accept("shared_memory_region", InferParameter.newBuilder().setStringParam(region).build());
    put.accept("shared_memory_offset", InferParameter.newBuilder().setInt64Param(offset).build());
    put.accept("shared_memory_byte_size", InferParameter.newBuilder().setInt64Param(size).build());
  }

  private static <T> Answer<T> answer(Supplier<T> call) {
    try {
      return Answer.ok(call.get());
    } catch (StatusRuntimeException e) {
      Code code =
          switch (e.getStatus().getCode()) {
            case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
            case ALREADY_EXISTS -> Code.ALREADY_EXISTS;
            case NOT_FOUND -> Code.NOT_FOUND;
            case UNIMPLEMENTED -> Code.UNIMPLEMENTED;
            case UNAVAILABLE -> Code.UNAVAILABLE;
            default -> Code.OTHER;
          };
      return Answer.failed(code, e.getStatus().getDescription());
    }
  }

  @Override
  public void close() {
    grpc.close();
  }
}
