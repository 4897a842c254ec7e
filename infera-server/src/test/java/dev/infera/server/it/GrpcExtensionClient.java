package dev.infera.server.it;

import dev.infera.server.grpc.proto.CudaSharedMemoryRegisterRequest;
import dev.infera.server.grpc.proto.CudaSharedMemoryStatusRequest;
import dev.infera.server.grpc.proto.CudaSharedMemoryUnregisterRequest;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.infera.server.grpc.proto.InferBatchStatistics;
import dev.infera.server.grpc.proto.ModelConfigRequest;
import dev.infera.server.grpc.proto.ModelStatistics;
import dev.infera.server.grpc.proto.ModelStatisticsRequest;
import dev.infera.server.grpc.proto.StatisticDuration;
import dev.infera.server.grpc.proto.SystemSharedMemoryRegisterRequest;
import dev.infera.server.grpc.proto.SystemSharedMemoryStatusRequest;
import dev.infera.server.grpc.proto.SystemSharedMemoryUnregisterRequest;
import io.grpc.StatusRuntimeException;
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

  private static <T> Answer<T> answer(Supplier<T> call) {
    try {
      return Answer.ok(call.get());
    } catch (StatusRuntimeException e) {
      Code code =
          switch (e.getStatus().getCode()) {
            case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
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
