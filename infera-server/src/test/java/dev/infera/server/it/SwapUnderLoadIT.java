package dev.infera.server.it;

import static dev.infera.server.it.SwapModel.Kind.ADD_SUB;
import static dev.infera.server.it.SwapModel.Kind.MUL_SUB;
import static dev.infera.server.it.SwapModel.Kind.SUB_ADD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 32 clients (16 REST, 16 gRPC) infer without pause while a model's versions are added, replaced
 * and removed, through POLL mode (the server notices the files) and EXPLICIT mode (the repository
 * API loads them). No request may fail, and every answer must come from a version and file that
 * were READY: version 1 computes add/sub; version 2 first sub/add, then mul/sub.
 */
class SwapUnderLoadIT {
  private static final Logger LOG = LoggerFactory.getLogger(SwapUnderLoadIT.class);
  private static final int CLIENTS = 32;
  private static final List<String> READY_ANSWERS =
      List.of(
          TrafficLoad.answer("1", ADD_SUB),
          TrafficLoad.answer("2", SUB_ADD),
          TrafficLoad.answer("2", MUL_SUB));

  private static InferaServer start(Path repo, ControlOptions control) {
    return InferaServer.start(
        ServerOptions.onFreePorts(repo)
            .withManager(ManagerOptions.defaults().withControl(control)));
  }

  @Test
  void pollModeSwapsWithoutAFailedRequest() throws Exception {
    Path repo = Files.createTempDirectory("infera-swap-poll");
    SwapModel.create(repo, "", 1, ADD_SUB);
    try (InferaServer server = start(repo, ControlOptions.poll(Duration.ofMillis(100)));
        TrafficLoad load = TrafficLoad.start(server, CLIENTS)) {
      load.expect("1", ADD_SUB).get();

      var added = load.expect("2", SUB_ADD);
      SwapModel.install(repo, 2, SUB_ADD);
      added.get();

      var replaced = load.expect("2", MUL_SUB);
      SwapModel.replace(repo, 2, MUL_SUB);
      replaced.get();

      var removed = load.expect("1", ADD_SUB);
      SwapModel.remove(repo, 2);
      removed.get();

      load.close();
      assertNoFailureAndOnlyReadyAnswers(load);
    }
  }

  @Test
  void explicitModeSwapsWithoutAFailedRequest() throws Exception {
    Path repo = Files.createTempDirectory("infera-swap-explicit");
    SwapModel.create(repo, "", 1, ADD_SUB);
    try (InferaServer server = start(repo, ControlOptions.explicit(List.of(SwapModel.NAME)));
        TrafficLoad load = TrafficLoad.start(server, CLIENTS);
        RestClient admin = new RestClient(server.httpPort(), false)) {
      load.expect("1", ADD_SUB).get();

      SwapModel.install(repo, 2, SUB_ADD);
      var added = load.expect("2", SUB_ADD);
      load(admin);
      added.get();

      SwapModel.replace(repo, 2, MUL_SUB);
      var replaced = load.expect("2", MUL_SUB);
      load(admin);
      replaced.get();

      SwapModel.remove(repo, 2);
      var removed = load.expect("1", ADD_SUB);
      load(admin);
      removed.get();

      load.close();
      assertNoFailureAndOnlyReadyAnswers(load);
    }
  }

  private static void load(RestClient admin) {
    HttpResponse<byte[]> response =
        admin.post("/v2/repository/models/" + SwapModel.NAME + "/load", new byte[0], Map.of());
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
  }

  private static void assertNoFailureAndOnlyReadyAnswers(TrafficLoad load) {
    LOG.info("{} answers during the swaps: {}", load.total(), load.answers());
    assertThat(load.failures()).isEmpty();
    assertThat(load.seenAnswers()).containsExactlyInAnyOrderElementsOf(READY_ANSWERS);
    assertThat(load.total()).isGreaterThan(CLIENTS);
  }
}
