package dev.infera.server.extension;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelDynamicBatching;
import dev.infera.core.config.proto.ModelInput;
import dev.infera.core.config.proto.ModelParameter;
import dev.infera.server.grpc.proto.ModelStatistics;
import dev.infera.server.grpc.proto.ModelStatisticsResponse;
import dev.infera.server.grpc.proto.StatisticDuration;
import org.junit.jupiter.api.Test;

class TritonJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode print(com.google.protobuf.MessageOrBuilder message) throws Exception {
    return MAPPER.readTree(TritonJson.print(message));
  }

  @Test
  void sixtyFourBitIntegersAreNumbersAndFieldNamesAreTheProtoNames() throws Exception {
    ModelConfig config =
        ModelConfig.newBuilder()
            .setName("simple")
            .setMaxBatchSize(8)
            .addInput(ModelInput.newBuilder().setName("INPUT0").addDims(16).addDims(-1))
            .setDynamicBatching(
                ModelDynamicBatching.newBuilder()
                    .addPreferredBatchSize(4)
                    .setMaxQueueDelayMicroseconds(100))
            .putParameters("k", ModelParameter.newBuilder().setStringValue("v").build())
            .build();

    JsonNode json = print(config);

    assertThat(json.get("max_batch_size").isIntegralNumber()).isTrue();
    JsonNode dims = json.get("input").get(0).get("dims");
    assertThat(dims.get(0).isIntegralNumber()).isTrue();
    assertThat(dims.get(0).asLong()).isEqualTo(16);
    assertThat(dims.get(1).asLong()).isEqualTo(-1);
    JsonNode batching = json.get("dynamic_batching");
    assertThat(batching.get("max_queue_delay_microseconds").isIntegralNumber()).isTrue();
    assertThat(batching.get("max_queue_delay_microseconds").asLong()).isEqualTo(100);
    assertThat(json.get("parameters").get("k").get("string_value").asText()).isEqualTo("v");
    assertThat(json.get("input").get(0).get("data_type").asText()).isEqualTo("TYPE_INVALID");
  }

  @Test
  void statisticsPrintEveryFieldAsTritonDoes() throws Exception {
    ModelStatisticsResponse response =
        ModelStatisticsResponse.newBuilder()
            .addModelStats(
                ModelStatistics.newBuilder()
                    .setName("simple")
                    .setVersion("1")
                    .setInferenceCount(Long.MAX_VALUE)
                    .setInferenceStats(
                        dev.infera.server.grpc.proto.InferStatistics.newBuilder()
                            .setSuccess(StatisticDuration.newBuilder().setCount(3).setNs(7))))
            .build();

    JsonNode stats = print(response).get("model_stats").get(0);

    assertThat(stats.get("inference_count").asLong()).isEqualTo(Long.MAX_VALUE);
    assertThat(stats.get("execution_count").isIntegralNumber()).isTrue();
    assertThat(stats.get("last_inference").asLong()).isZero();
    assertThat(stats.get("inference_stats").get("success").get("count").asLong()).isEqualTo(3);
    assertThat(stats.get("inference_stats").get("success").get("ns").isIntegralNumber()).isTrue();
    assertThat(stats.get("batch_stats").isArray()).isTrue();
  }
}
