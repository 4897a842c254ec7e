package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.server.InferaServer;
import org.junit.jupiter.api.Test;

/** The extension suite over REST, plus the JSON shapes Triton's clients read. */
class RestExtensionIT extends ExtensionSuite {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected ExtensionClient connect(InferaServer server) {
    return new RestExtensionClient(server.httpPort());
  }

  @Override
  protected ProtocolClient connectProtocol(InferaServer server) {
    return new RestClient(server.httpPort(), false);
  }

  @Test
  void configIsTritonsJsonWithNumbersForDims() throws Exception {
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      JsonNode config = JSON.readTree(rest.get("/v2/models/simple/config").body());
      assertThat(config.get("max_batch_size").isIntegralNumber()).isTrue();
      JsonNode input = config.get("input").get(0);
      assertThat(input.get("data_type").asText()).isEqualTo("TYPE_INT32");
      assertThat(input.get("dims").get(0).isIntegralNumber()).isTrue();
      assertThat(input.get("dims").get(0).asLong()).isEqualTo(16);
      assertThat(input.get("format").asText()).isEqualTo("FORMAT_NONE");
      assertThat(config.get("instance_group").get(0).get("kind").asText()).isEqualTo("KIND_CPU");
    }
  }

  @Test
  void statisticsAreTritonsJson() throws Exception {
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      JsonNode stats = JSON.readTree(rest.get("/v2/models/simple/stats").body());
      JsonNode model = stats.get("model_stats").get(0);
      assertThat(model.get("inference_count").isIntegralNumber()).isTrue();
      assertThat(model.get("last_inference").isIntegralNumber()).isTrue();
      JsonNode success = model.get("inference_stats").get("success");
      assertThat(success.get("count").isIntegralNumber()).isTrue();
      assertThat(success.get("ns").isIntegralNumber()).isTrue();
      assertThat(model.get("batch_stats").isArray()).isTrue();
    }
  }

  @Test
  void serverMetadataListsTheExtensions() throws Exception {
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      JsonNode metadata = JSON.readTree(rest.get("/v2").body());
      assertThat(metadata.get("extensions").toString())
          .contains("statistics", "model_configuration", "system_shared_memory");
    }
  }
}
