package dev.infera.server.it;

import static dev.infera.server.it.LifecycleServers.index;
import static dev.infera.server.it.LifecycleServers.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infera.core.config.ConfigLimits;
import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.server.InferaServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The repository API under configurations and requests meant to hurt: numbers that would create
 * unbounded threads, overrides that are not JSON, and what the replies may reveal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepositoryHardeningIT {
  private Path repo;
  private InferaServer server;
  private RestClient rest;

  @BeforeAll
  void start() throws IOException {
    repo = Files.createTempDirectory("infera-hardening");
    for (String name : List.of("counted", "override_me", "twice", "stale")) {
      LifecycleServers.simpleCopy(repo, name, "");
    }
    Files.createDirectories(repo.resolve("broken/1"));
    Files.writeString(repo.resolve("broken/1/model.onnx"), "not an ONNX model");
    server = LifecycleServers.start(repo, ControlOptions.explicit(List.of()));
    rest = new RestClient(server.httpPort(), false);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static String simpleOverride(String name, String extra) {
    return "{\\\"name\\\":\\\""
        + name
        + "\\\",\\\"platform\\\":\\\"onnxruntime_onnx\\\",\\\"max_batch_size\\\":8,"
        + "\\\"input\\\":[{\\\"name\\\":\\\"INPUT0\\\",\\\"data_type\\\":\\\"TYPE_INT32\\\",\\\"dims\\\":[16]},"
        + "{\\\"name\\\":\\\"INPUT1\\\",\\\"data_type\\\":\\\"TYPE_INT32\\\",\\\"dims\\\":[16]}],"
        + "\\\"output\\\":[{\\\"name\\\":\\\"OUTPUT0\\\",\\\"data_type\\\":\\\"TYPE_INT32\\\",\\\"dims\\\":[16]},"
        + "{\\\"name\\\":\\\"OUTPUT1\\\",\\\"data_type\\\":\\\"TYPE_INT32\\\",\\\"dims\\\":[16]}]"
        + extra
        + "}";
  }

  private HttpResponse<byte[]> loadWithConfig(String model, String config) {
    return post(
        rest,
        "/v2/repository/models/" + model + "/load",
        "{\"parameters\": {\"config\": \"" + config + "\"}}");
  }

  @Test
  void instanceCountOverTheLimitIsRefusedAndCreatesNothing() {
    int threadsBefore = Thread.activeCount();

    HttpResponse<byte[]> load =
        loadWithConfig(
            "counted",
            simpleOverride(
                "counted",
                ",\\\"instance_group\\\":[{\\\"count\\\":100000,\\\"kind\\\":\\\"KIND_CPU\\\"}]"));

    assertThat(load.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(load.body()))
        .contains("model 'counted'")
        .contains("100000 instances in all are over the limit of " + ConfigLimits.maxInstances());
    assertThat(Thread.activeCount()).isLessThan(threadsBefore + 50);
    JsonNode entry = entry(index(rest, ""), "counted");
    assertThat(entry.path("state").asText()).isNotEqualTo("READY");
  }

  @Test
  void configOverrideThatIsNotJsonGetsAClearMessage() {
    for (String config :
        List.of("max_batch_size: 8", "{\\\"max_batch_size\\\": 8", "{\\\"max_batch_size\\\": }")) {
      HttpResponse<byte[]> load = loadWithConfig("override_me", config);

      assertThat(load.statusCode()).isEqualTo(400);
      String message = RestClient.errorMessage(load.body());
      assertThat(message).contains("model 'override_me'").contains("parameter 'config'");
      assertNoInternals(message);
    }
    String truncated =
        RestClient.errorMessage(loadWithConfig("override_me", "{\\\"max_batch_size\\\": 8").body());
    assertThat(truncated).contains("is not valid JSON");
  }

  @Test
  void aFailedLoadReportsItsOwnReasonNotThePreviousOne() {
    HttpResponse<byte[]> first =
        loadWithConfig("twice", simpleOverride("twice", ",\\\"max_batch_size\\\":-3"));
    HttpResponse<byte[]> second =
        loadWithConfig("twice", simpleOverride("twice", ",\\\"max_batch_size\\\":-5"));

    assertThat(first.statusCode()).isEqualTo(400);
    assertThat(second.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(second.body())).contains("-5").doesNotContain("-3");
  }

  @Test
  void aConfigurationFailureAfterAVersionFailureReportsItsOwnReason() {
    HttpResponse<byte[]> first =
        loadWithConfig(
            "stale", simpleOverride("stale", ",\\\"default_model_filename\\\":\\\"nope.onnx\\\""));
    HttpResponse<byte[]> second = loadWithConfig("stale", "{\\\"max_batch_size\\\":-7}");

    assertThat(first.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(first.body())).contains("nope.onnx");
    assertThat(second.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(second.body()))
        .contains("max_batch_size -7")
        .doesNotContain("nope.onnx");
    assertThat(entry(index(rest, ""), "stale").path("reason").asText()).doesNotContain("nope.onnx");
  }

  @Test
  void loadErrorsAndIndexReasonsHoldNoServerPathsOrClassNames() {
    HttpResponse<byte[]> load = post(rest, "/v2/repository/models/broken/load", "{}");

    assertThat(load.statusCode()).isBetween(400, 499);
    String message = RestClient.errorMessage(load.body());
    assertThat(message).contains("model 'broken'");
    assertNoInternals(message);
    String reason = entry(index(rest, ""), "broken").path("reason").asText();
    assertThat(reason).isNotEmpty();
    assertNoInternals(reason);
  }

  private void assertNoInternals(String message) {
    assertThat(message)
        .doesNotContain(repo.toString())
        .doesNotContain("/tmp/")
        .doesNotContainPattern("\\b(com|io|org|java|ai|ml)\\.[a-z]+\\.[\\w.]*[A-Z]\\w*")
        .doesNotContainPattern("\\.(cc|cpp|h):\\d+");
  }

  private static JsonNode entry(JsonNode index, String model) {
    for (JsonNode node : index) {
      if (node.get("name").asText().equals(model)) {
        return node;
      }
    }
    throw new AssertionError("no index entry for " + model + " in " + index);
  }
}
