package dev.infera.server.it;

import static dev.infera.server.it.SwapModel.Kind.ADD_SUB;
import static dev.infera.server.it.SwapModel.Kind.MUL_SUB;
import static dev.infera.server.it.SwapModel.Kind.SUB_ADD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.server.InferaServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 32 clients (16 REST, 16 gRPC) infer through a two-step ensemble without pause while one of its
 * step models is reloaded twice with other files through the repository API: no request may fail,
 * and the ensemble's answers follow the step model's new files.
 */
class EnsembleReloadIT {
  private static final Logger LOG = LoggerFactory.getLogger(EnsembleReloadIT.class);
  private static final int CLIENTS = 32;
  private static final String ENSEMBLE =
      """
      name: "swap_pipeline"
      platform: "ensemble"
      max_batch_size: 8
      input [
        { name: "INPUT0", data_type: TYPE_INT32, dims: [ 16 ] },
        { name: "INPUT1", data_type: TYPE_INT32, dims: [ 16 ] }
      ]
      output [
        { name: "OUTPUT0", data_type: TYPE_INT32, dims: [ 16 ] },
        { name: "OUTPUT1", data_type: TYPE_INT32, dims: [ 16 ] },
        { name: "CHECK", data_type: TYPE_INT32, dims: [ 16 ] }
      ]
      ensemble_scheduling {
        step [
          {
            model_name: "swap"
            model_version: -1
            input_map { key: "INPUT0" value: "INPUT0" }
            input_map { key: "INPUT1" value: "INPUT1" }
            output_map { key: "OUTPUT0" value: "OUTPUT0" }
            output_map { key: "OUTPUT1" value: "OUTPUT1" }
          },
          {
            model_name: "simple"
            model_version: -1
            input_map { key: "INPUT0" value: "INPUT0" }
            input_map { key: "INPUT1" value: "INPUT1" }
            output_map { key: "OUTPUT0" value: "CHECK" }
          }
        ]
      }
      """;

  @Test
  void reloadingAStepModelFailsNoRequest() throws Exception {
    Path repo = Files.createTempDirectory("infera-ensemble-reload");
    SwapModel.create(repo, "", 1, ADD_SUB);
    LifecycleServers.simpleCopy(repo, "simple", "");
    Files.createDirectories(repo.resolve("swap_pipeline/1"));
    Files.writeString(repo.resolve("swap_pipeline/config.pbtxt"), ENSEMBLE);
    try (InferaServer server =
            LifecycleServers.start(repo, ControlOptions.explicit(List.of("swap_pipeline")));
        TrafficLoad load = TrafficLoad.start(server, CLIENTS, "swap_pipeline");
        RestClient admin = new RestClient(server.httpPort(), false)) {
      load.expect("1", ADD_SUB).get();

      SwapModel.replace(repo, 1, SUB_ADD);
      var replaced = load.expect("1", SUB_ADD);
      reload(admin);
      replaced.get();

      SwapModel.replace(repo, 1, MUL_SUB);
      var again = load.expect("1", MUL_SUB);
      reload(admin);
      again.get();

      load.close();
      LOG.info("{} ensemble answers during the reloads: {}", load.total(), load.answers());
      assertThat(load.failures()).isEmpty();
      assertThat(load.seenAnswers())
          .containsExactlyInAnyOrder(
              TrafficLoad.answer("1", ADD_SUB),
              TrafficLoad.answer("1", SUB_ADD),
              TrafficLoad.answer("1", MUL_SUB));
      assertThat(load.total()).isGreaterThan(CLIENTS);
    }
  }

  private static void reload(RestClient admin) {
    HttpResponse<byte[]> response =
        admin.post("/v2/repository/models/" + SwapModel.NAME + "/load", new byte[0], Map.of());
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
  }
}
