package dev.infera.server.it;

import static dev.infera.server.it.LifecycleServers.index;
import static dev.infera.server.it.LifecycleServers.post;
import static dev.infera.server.it.LifecycleServers.scrape;
import static dev.infera.server.it.LifecycleServers.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.server.InferaServer;
import dev.infera.server.grpc.proto.ModelRepositoryParameter;
import dev.infera.server.grpc.proto.RepositoryIndexRequest;
import dev.infera.server.grpc.proto.RepositoryIndexResponse;
import dev.infera.server.grpc.proto.RepositoryModelLoadRequest;
import dev.infera.server.grpc.proto.RepositoryModelUnloadRequest;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.spi.Tensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
 * The repository API (index, load, unload) over REST and gRPC on a server in EXPLICIT mode started
 * with {@code --load-model simple}. Each test uses its own models.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepositoryApiIT {
  private static final String WARMUP =
      """
      model_warmup [ {
        name: "zeros" batch_size: 4 count: 2
        inputs { key: "INPUT0" value: { data_type: TYPE_INT32, dims: [ 16 ], zero_data: true } }
        inputs { key: "INPUT1" value: { data_type: TYPE_INT32, dims: [ 16 ], zero_data: true } }
      } ]
      """;

  private InferaServer server;
  private RestClient rest;
  private GrpcClient grpc;

  @BeforeAll
  void start() throws IOException {
    Path repo = Files.createTempDirectory("infera-repository-api");
    for (String name :
        List.of("simple", "untouched", "rest_model", "grpc_model", "override", "unload_me")) {
      LifecycleServers.simpleCopy(repo, name, "");
    }
    LifecycleServers.simpleCopy(repo, "warm", WARMUP);
    Files.createDirectories(repo.resolve("broken/1"));
    Files.writeString(repo.resolve("broken/1/model.onnx"), "not an ONNX model");
    server = LifecycleServers.start(repo, ControlOptions.explicit(List.of("simple")));
    rest = new RestClient(server.httpPort(), false);
    grpc = new GrpcClient(server.grpcPort(), false);
  }

  @AfterAll
  void stop() {
    grpc.close();
    server.close();
  }

  private static List<Tensor> inputs(int rows) {
    List<Tensor> one = Samples.of("simple").cases().get(0).inputs();
    if (rows == 1) {
      return one;
    }
    return one.stream()
        .map(
            t -> {
              java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(rows * 64);
              for (int i = 0; i < rows; i++) {
                data.put(t.data());
              }
              return Tensor.of(t.name(), t.dataType(), new long[] {rows, 16}, data.flip());
            })
        .toList();
  }

  private static JsonNode entry(JsonNode index, String model) {
    for (JsonNode node : index) {
      if (node.get("name").asText().equals(model)) {
        return node;
      }
    }
    throw new AssertionError("no index entry for " + model + " in " + index);
  }

  @Test
  void indexListsLoadedModelsAndTheOthersAsNotLoaded() {
    JsonNode index = index(rest, "");

    JsonNode simple = entry(index, "simple");
    assertThat(simple.get("version").asText()).isEqualTo("1");
    assertThat(simple.get("state").asText()).isEqualTo("READY");
    assertThat(simple.has("reason")).isFalse();
    JsonNode untouched = entry(index, "untouched");
    assertThat(untouched.has("version")).isFalse();
    assertThat(untouched.get("state").asText()).isEqualTo("UNAVAILABLE");
    assertThat(untouched.get("reason").asText()).isEqualTo("not loaded");
  }

  @Test
  void indexReadyFilterKeepsReadyVersionsOnly() {
    JsonNode index = index(rest, "{\"ready\": true}");

    assertThat(index)
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.get("state").asText()).isEqualTo("READY"));
    assertThat(index.toString()).doesNotContain("untouched");
  }

  @Test
  void grpcIndexHasTritonsMessageShape() {
    RepositoryIndexResponse index =
        grpc.stub().repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(false).build());

    assertThat(index.getModelsList())
        .filteredOn(m -> m.getName().equals("simple"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getVersion()).isEqualTo("1");
              assertThat(m.getState()).isEqualTo("READY");
              assertThat(m.getReason()).isEmpty();
            });
    assertThat(index.getModelsList())
        .filteredOn(m -> m.getName().equals("untouched"))
        .singleElement()
        .satisfies(m -> assertThat(m.getReason()).isEqualTo("not loaded"));
  }

  @Test
  void restLoadServesTheModelAndUnloadTakesItAway() {
    assertThat(rest.infer(Call.of("rest_model", inputs(1))).outcome()).isEqualTo(Outcome.NOT_FOUND);

    assertThat(post(rest, "/v2/repository/models/rest_model/load", "").statusCode()).isEqualTo(200);
    assertThat(rest.infer(Call.of("rest_model", inputs(1))).outcome()).isEqualTo(Outcome.OK);

    assertThat(
            post(
                    rest,
                    "/v2/repository/models/rest_model/unload",
                    "{\"parameters\": {\"unload_dependents\": true}}")
                .statusCode())
        .isEqualTo(200);
    ProtocolClient.Reply after = rest.infer(Call.of("rest_model", inputs(1)));
    assertThat(after.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(after.message()).contains("model 'rest_model' is not loaded: unloaded");
    JsonNode unloaded = entry(index(rest, ""), "rest_model");
    assertThat(unloaded.get("version").asText()).isEqualTo("1");
    assertThat(unloaded.get("state").asText()).isEqualTo("UNAVAILABLE");
    assertThat(unloaded.get("reason").asText()).isEqualTo("unloaded");
  }

  @Test
  void grpcLoadAndUnload() {
    grpc.stub()
        .repositoryModelLoad(
            RepositoryModelLoadRequest.newBuilder().setModelName("grpc_model").build());
    assertThat(grpc.infer(Call.of("grpc_model", inputs(1))).outcome()).isEqualTo(Outcome.OK);

    grpc.stub()
        .repositoryModelUnload(
            RepositoryModelUnloadRequest.newBuilder()
                .setModelName("grpc_model")
                .putParameters(
                    "unload_dependents",
                    ModelRepositoryParameter.newBuilder().setBoolParam(true).build())
                .build());
    assertThat(grpc.infer(Call.of("grpc_model", inputs(1))).outcome()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void loadWithAConfigOverrideUsesIt() {
    String config =
        "{\\\"name\\\":\\\"override\\\",\\\"platform\\\":\\\"onnxruntime_onnx\\\",\\\"max_batch_size\\\":2,"
            + "\\\"input\\\":[{\\\"name\\\":\\\"INPUT0\\\",\\\"data_type\\\":\\\"TYPE_INT32\\\",\\\"dims\\\":[16]},"
            + "{\\\"name\\\":\\\"INPUT1\\\",\\\"data_type\\\":\\\"TYPE_INT32\\\",\\\"dims\\\":[16]}],"
            + "\\\"output\\\":[{\\\"name\\\":\\\"OUTPUT0\\\",\\\"data_type\\\":\\\"TYPE_INT32\\\",\\\"dims\\\":[16]},"
            + "{\\\"name\\\":\\\"OUTPUT1\\\",\\\"data_type\\\":\\\"TYPE_INT32\\\",\\\"dims\\\":[16]}]}";

    HttpResponse<byte[]> load =
        post(
            rest,
            "/v2/repository/models/override/load",
            "{\"parameters\": {\"config\": \"" + config + "\"}}");

    assertThat(load.statusCode()).as(new String(load.body())).isEqualTo(200);
    assertThat(rest.infer(Call.of("override", inputs(2))).outcome()).isEqualTo(Outcome.OK);
    ProtocolClient.Reply tooMany = rest.infer(Call.of("override", inputs(3)));
    assertThat(tooMany.outcome()).isEqualTo(Outcome.INVALID_ARGUMENT);
    assertThat(tooMany.message()).contains("2");
  }

  @Test
  void warmupRunsBeforeReadyAndIsMeasured() {
    assertThat(post(rest, "/v2/repository/models/warm/load", "{}").statusCode()).isEqualTo(200);

    String metrics = scrape(server);
    String labels = "{model=\"warm\",version=\"1\"}";
    assertThat(value(metrics, "infera_model_warmup_duration_seconds_count" + labels)).isEqualTo(1);
    assertThat(value(metrics, "infera_model_load_duration_seconds_count" + labels)).isEqualTo(1);
    assertThat(value(metrics, "infera_model_state{model=\"warm\",state=\"READY\",version=\"1\"}"))
        .isEqualTo(1);
    assertThat(value(metrics, "infera_model_state{model=\"warm\",state=\"LOADING\",version=\"1\"}"))
        .isZero();
  }

  @Test
  void failedLoadIsReportedAndMakesTheServerUnreadyUntilUnloaded() {
    assertThat(rest.serverReady()).isTrue();

    HttpResponse<byte[]> load = post(rest, "/v2/repository/models/broken/load", "");

    assertThat(load.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(load.body()))
        .contains("failed to load model 'broken'")
        .contains("model.onnx");
    assertThat(entry(index(rest, ""), "broken").get("reason").asText()).contains("model.onnx");
    assertThat(
            value(
                scrape(server), "infera_model_load_failure_total{model=\"broken\",version=\"1\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(rest.serverReady()).isFalse();
    assertThat(grpc.serverReady()).isFalse();
    assertThat(rest.serverLive()).isTrue();

    assertThat(post(rest, "/v2/repository/models/broken/unload", "").statusCode()).isEqualTo(200);
    assertThat(rest.serverReady()).isTrue();
    assertThat(grpc.serverReady()).isTrue();
  }

  @Test
  void unknownModelIsNotFoundOverBothTransports() {
    HttpResponse<byte[]> load = post(rest, "/v2/repository/models/ghost/load", "");

    assertThat(load.statusCode()).isEqualTo(404);
    assertThat(RestClient.errorMessage(load.body()))
        .contains("model 'ghost' is not in the repository");
    assertThatThrownBy(
            () ->
                grpc.stub()
                    .repositoryModelUnload(
                        RepositoryModelUnloadRequest.newBuilder().setModelName("ghost").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void malformedBodiesAreBadRequests() {
    assertThat(post(rest, "/v2/repository/index", "{nope").statusCode()).isEqualTo(400);
    HttpResponse<byte[]> unknown =
        post(rest, "/v2/repository/models/simple/load", "{\"parameters\": {\"file:x\": \"y\"}}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(unknown.body())).contains("unknown parameter 'file:x'");
  }

  @Test
  void unloadWaitsForTheModelToBeGone() {
    assertThat(post(rest, "/v2/repository/models/unload_me/load", "").statusCode()).isEqualTo(200);

    assertThat(post(rest, "/v2/repository/models/unload_me/unload", "").statusCode())
        .isEqualTo(200);

    assertThat(
            value(
                scrape(server),
                "infera_model_unload_duration_seconds_count{model=\"unload_me\",version=\"1\"}"))
        .isEqualTo(1);
  }
}
