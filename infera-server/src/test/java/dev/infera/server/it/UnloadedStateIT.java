package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.server.InferaServer;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One model state, one answer on every surface: REST and gRPC infer, metadata and readiness, with
 * and without a version, agree while a model is unloaded (not found: 404 / NOT_FOUND, ready false)
 * and while it is loading again after an unload (not ready yet: 503 / UNAVAILABLE, ready false),
 * and no answer in the loading state still says "unloaded". The model is a real Python model whose
 * {@code initialize} waits for a file the test creates, so the loading state lasts as long as the
 * test needs it without any timing guess.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnloadedStateIT {
  private static final String MODEL = "held_load";
  private static final Duration WAIT = Duration.ofSeconds(90);

  private Path release;
  private InferaServer server;
  private RestClient rest;
  private GrpcClient grpc;

  @BeforeAll
  void start() throws IOException {
    Path repo = Files.createTempDirectory("infera-unloaded-it");
    TestRepository.copyInto(TestRepository.resource("it/held_load"), repo);
    release = repo.resolve("release");
    Path config = repo.resolve(MODEL).resolve("config.pbtxt");
    Files.writeString(
        config,
        Files.readString(config)
            + "parameters { key: \"release_file\" value { string_value: \""
            + release
            + "\" } }\n");
    server = LifecycleServers.start(repo, ControlOptions.explicit(List.of()));
    rest = new RestClient(server.httpPort(), false);
    grpc = new GrpcClient(server.grpcPort(), false);
  }

  @AfterAll
  void stop() throws IOException {
    Files.writeString(release, "go"); // a load still held must not outlive the test
    grpc.close();
    server.close();
  }

  @Test
  void unloadedAndReloadingStatesAnswerAlikeOnEverySurface() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> firstLoad = loadAsync();
    awaitLoading();
    assertEverySurface(Outcome.UNAVAILABLE, Outcome.UNAVAILABLE, "loading");
    Files.writeString(release, "go");
    assertThat(firstLoad.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(rest.infer(ProtocolClient.Call.of(MODEL, List.of(text()))).outcome())
        .isEqualTo(Outcome.OK);

    HttpResponse<byte[]> unload =
        LifecycleServers.post(rest, "/v2/repository/models/" + MODEL + "/unload", "{}");
    assertThat(unload.statusCode()).isEqualTo(200);
    assertEverySurface(Outcome.NOT_FOUND, Outcome.NOT_FOUND, "unloaded");

    Files.delete(release);
    CompletableFuture<HttpResponse<byte[]>> reload = loadAsync();
    awaitLoading();
    assertEverySurface(Outcome.UNAVAILABLE, Outcome.UNAVAILABLE, "loading again");
    Files.writeString(release, "go");
    assertThat(reload.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(grpc.infer(ProtocolClient.Call.of(MODEL, List.of(text()))).outcome())
        .isEqualTo(Outcome.OK);
  }

  /**
   * @param expected what infer and metadata answer on both transports, with and without version
   * @param restReady what REST readiness answers (gRPC's says ready=false, which the clients map to
   *     UNAVAILABLE)
   */
  private void assertEverySurface(Outcome expected, Outcome restReady, String state) {
    List<String> answers = new ArrayList<>();
    for (String version : new String[] {null, "1"}) {
      String where = state + (version == null ? "" : ", version 1");
      for (ProtocolClient client : new ProtocolClient[] {rest, grpc}) {
        String transport = client == rest ? "REST" : "gRPC";
        ProtocolClient.Reply infer =
            client.infer(ProtocolClient.Call.of(MODEL, List.of(text())).withVersion(version));
        answers.add(
            transport + " infer (" + where + "): " + infer.outcome() + " " + infer.message());
        assertThat(infer.outcome()).as(answers.get(answers.size() - 1)).isEqualTo(expected);
        ProtocolClient.Metadata metadata = client.metadata(MODEL, version);
        answers.add(
            transport
                + " metadata ("
                + where
                + "): "
                + metadata.outcome()
                + " "
                + metadata.message());
        assertThat(metadata.outcome()).as(answers.get(answers.size() - 1)).isEqualTo(expected);
        if (state.startsWith("loading")) {
          assertThat(infer.message()).as(transport + " infer").doesNotContain("unloaded");
          assertThat(metadata.message()).as(transport + " metadata").doesNotContain("unloaded");
        }
      }
      assertThat(rest.modelReady(MODEL, version))
          .as("REST ready (" + where + ")")
          .isEqualTo(restReady);
      assertThat(grpc.modelReady(MODEL, version))
          .as("gRPC ready (" + where + ")")
          .isEqualTo(Outcome.UNAVAILABLE);
    }
  }

  private CompletableFuture<HttpResponse<byte[]>> loadAsync() {
    return CompletableFuture.supplyAsync(
        () -> LifecycleServers.post(rest, "/v2/repository/models/" + MODEL + "/load", "{}"));
  }

  /** Until the index shows version 1 LOADING (the load is held in initialize). */
  private void awaitLoading() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode entry : LifecycleServers.index(rest, "{}")) {
        if (entry.path("name").asText().equals(MODEL)
            && entry.path("version").asText().equals("1")
            && entry.path("state").asText().equals("LOADING")) {
          return;
        }
      }
      Thread.sleep(20); // polling the index, not timing
    }
    throw new AssertionError("the load never showed LOADING in the index");
  }

  private static Tensor text() {
    return Tensor.ofBytes("TEXT", new long[] {1, 1}, List.of("a".getBytes(StandardCharsets.UTF_8)));
  }
}
