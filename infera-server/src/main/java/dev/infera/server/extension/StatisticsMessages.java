package dev.infera.server.extension;

import dev.infera.core.metrics.InferenceStatistics;
import dev.infera.core.metrics.InferenceStatistics.BatchStatistics;
import dev.infera.core.metrics.InferenceStatistics.TimedCount;
import dev.infera.server.grpc.proto.InferBatchStatistics;
import dev.infera.server.grpc.proto.InferStatistics;
import dev.infera.server.grpc.proto.ModelStatistics;
import dev.infera.server.grpc.proto.ModelStatisticsResponse;
import dev.infera.server.grpc.proto.StatisticDuration;
import java.util.List;

/**
 * The statistics extension's document, {@code ModelStatisticsResponse}, built once for both
 * transports: gRPC sends the message, REST prints it with {@link TritonJson}.
 */
public final class StatisticsMessages {
  private StatisticsMessages() {}

  public static ModelStatisticsResponse response(List<InferenceStatistics> statistics) {
    ModelStatisticsResponse.Builder response = ModelStatisticsResponse.newBuilder();
    for (InferenceStatistics version : statistics) {
      response.addModelStats(model(version));
    }
    return response.build();
  }

  private static ModelStatistics model(InferenceStatistics s) {
    ModelStatistics.Builder model =
        ModelStatistics.newBuilder()
            .setName(s.model())
            .setVersion(s.version())
            .setLastInference(s.lastInferenceMillis())
            .setInferenceCount(s.inferenceCount())
            .setExecutionCount(s.executionCount())
            .setInferenceStats(
                InferStatistics.newBuilder()
                    .setSuccess(duration(s.success()))
                    .setFail(duration(s.fail()))
                    .setQueue(duration(s.queue()))
                    .setComputeInput(duration(s.computeInput()))
                    .setComputeInfer(duration(s.computeInfer()))
                    .setComputeOutput(duration(s.computeOutput()))
                    .setCacheHit(duration(s.cacheHit()))
                    .setCacheMiss(duration(s.cacheMiss())));
    for (BatchStatistics batch : s.batches()) {
      model.addBatchStats(
          InferBatchStatistics.newBuilder()
              .setBatchSize(batch.batchSize())
              .setComputeInput(duration(batch.computeInput()))
              .setComputeInfer(duration(batch.computeInfer()))
              .setComputeOutput(duration(batch.computeOutput())));
    }
    return model.build();
  }

  private static StatisticDuration duration(TimedCount timed) {
    return StatisticDuration.newBuilder().setCount(timed.count()).setNs(timed.nanos()).build();
  }
}
