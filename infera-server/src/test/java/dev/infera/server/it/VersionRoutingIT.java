package dev.infera.server.it;

import static dev.infera.server.it.SwapModel.Kind.ADD_SUB;
import static dev.infera.server.it.SwapModel.Kind.MUL_SUB;
import static dev.infera.server.it.SwapModel.Kind.SUB_ADD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.server.InferaServer;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.it.ProtocolClient.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Version routing over every transport: {@code version_policy { specific { versions: [1, 2] } }}
 * with folders 1 (add/sub), 2 (sub/add) and 3 (mul/sub). A request without a version reaches 2, the
 * highest READY one; a versioned request reaches exactly that version; version 3 is 404 with the
 * ready versions named; metadata lists 1 and 2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VersionRoutingIT {
  private InferaServer server;

  @BeforeAll
  void start() throws IOException {
    Path repo = Files.createTempDirectory("infera-versions");
    SwapModel.create(repo, "version_policy { specific { versions: [ 1, 2 ] } }", 1, ADD_SUB);
    SwapModel.install(repo, 2, SUB_ADD);
    SwapModel.install(repo, 3, MUL_SUB);
    server = LifecycleServers.start(repo, ControlOptions.none());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  List<ProtocolClient> clients() {
    return List.of(
        new RestClient(server.httpPort(), false),
        new RestClient(server.httpPort(), true),
        new GrpcClient(server.grpcPort(), false),
        new GrpcClient(server.grpcPort(), true));
  }

  private static Call call() {
    return Call.of(SwapModel.NAME, SwapModel.inputs());
  }

  @ParameterizedTest
  @MethodSource("clients")
  void withoutAVersionTheHighestReadyVersionAnswers(ProtocolClient client) {
    try (client) {
      Reply reply = client.infer(call());

      assertThat(reply.modelVersion()).isEqualTo("2");
      assertThat(SwapModel.kindOf(reply)).isEqualTo(SUB_ADD);
    }
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aVersionedRequestReachesExactlyThatVersion(ProtocolClient client) {
    try (client) {
      Reply reply = client.infer(call().withVersion("1"));

      assertThat(reply.modelVersion()).isEqualTo("1");
      assertThat(SwapModel.kindOf(reply)).isEqualTo(ADD_SUB);
    }
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aVersionOutsideThePolicyIsNotFoundWithTheReadyVersions(ProtocolClient client) {
    try (client) {
      Reply reply = client.infer(call().withVersion("3"));

      assertThat(reply.outcome()).isEqualTo(Outcome.NOT_FOUND);
      assertThat(reply.message()).contains("version '3' is not ready (ready versions: [1, 2])");
    }
  }

  @ParameterizedTest
  @MethodSource("clients")
  void metadataListsTheReadyVersions(ProtocolClient client) {
    try (client) {
      assertThat(client.metadata(SwapModel.NAME, null).versions()).containsExactly("1", "2");
      assertThat(client.modelReady(SwapModel.NAME, "1")).isEqualTo(Outcome.OK);
      assertThat(client.modelReady(SwapModel.NAME, "3")).isNotEqualTo(Outcome.OK);
    }
  }
}
