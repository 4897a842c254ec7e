package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.server.InferaServer;
import dev.infera.server.grpc.proto.RepositoryIndexRequest;
import dev.infera.server.grpc.proto.RepositoryModelLoadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The shared server runs in model control mode NONE: the index answers, load and unload are refused
 * with FAILED_PRECONDITION (HTTP 400) naming the mode to use.
 */
class ControlModeRefusalIT {
  private final InferaServer server = SharedServer.get();

  @Test
  void restLoadAndUnloadAreRefused() {
    RestClient rest = new RestClient(server.httpPort(), false);

    HttpResponse<byte[]> load =
        LifecycleServers.post(rest, "/v2/repository/models/simple/load", "");
    HttpResponse<byte[]> unload =
        LifecycleServers.post(rest, "/v2/repository/models/simple/unload", "");

    assertThat(load.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(load.body()))
        .isEqualTo(
            "model load needs --model-control-mode explicit (this server runs in mode 'none')");
    assertThat(unload.statusCode()).isEqualTo(400);
    assertThat(
            rest.infer(
                    ProtocolClient.Call.of("simple", Samples.of("simple").cases().get(0).inputs()))
                .outcome())
        .isEqualTo(Outcome.OK);
  }

  @Test
  void grpcLoadIsRefusedWithFailedPrecondition() {
    try (GrpcClient grpc = new GrpcClient(server.grpcPort(), false)) {
      assertThatThrownBy(
              () ->
                  grpc.stub()
                      .repositoryModelLoad(
                          RepositoryModelLoadRequest.newBuilder().setModelName("simple").build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription())
                    .contains("--model-control-mode explicit");
              });
    }
  }

  @Test
  void indexAnswersInEveryMode() {
    try (GrpcClient grpc = new GrpcClient(server.grpcPort(), false)) {
      assertThat(
              grpc.stub()
                  .repositoryIndex(RepositoryIndexRequest.getDefaultInstance())
                  .getModelsList())
          .extracting(m -> m.getName())
          .contains("simple", "tabular_mlp");
    }
  }
}
