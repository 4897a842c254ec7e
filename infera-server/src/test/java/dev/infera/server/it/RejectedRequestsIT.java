package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.it.ProtocolClient.Call;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests refused before they reach a model version are counted by protocol and status in {@code
 * infera_requests_rejected_total}; those that reached a version are counted by that version only.
 * Its own server, so that no other test's requests move the counters.
 */
class RejectedRequestsIT {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static InferaServer server;

  @BeforeAll
  static void start() throws IOException {
    Path repo = Files.createTempDirectory("infera-rejected");
    TestRepository.copyInto(TestRepository.examples().resolve("simple"), repo.resolve("simple"));
    server = InferaServer.start(ServerOptions.onFreePorts(repo));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static double rejected(String protocol, String code) {
    return Metrics.value(server.metricsPort(), Metrics.rejectedSeries(protocol, code));
  }

  /** Waits until at least one rejection with {@code code} is counted. */
  private static void awaitRejected(String protocol, String code) throws InterruptedException {
    Metrics.await(
        server.metricsPort(),
        Metrics.rejectedSeries(protocol, code),
        value -> value >= 1,
        PATIENCE);
  }

  private static double modelFailures() {
    return Metrics.value(
        server.metricsPort(),
        "infera_inference_request_failure_total{model=\"simple\",reason=\"invalid_argument\",version=\"1\"}");
  }

  @Test
  void restRejectionsAreCountedByStatus() throws InterruptedException {
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      byte[] malformed = "{\"inputs\": [".getBytes(StandardCharsets.UTF_8);
      assertThat(rest.post("/v2/models/simple/infer", malformed, Map.of()).statusCode())
          .isEqualTo(400);
      Call unknown = Call.of("no_such_model", Samples.of("simple").cases().get(0).inputs());
      assertThat(rest.infer(unknown).outcome()).isEqualTo(Outcome.NOT_FOUND);
      // Counted when each request's log completes, which may be just after the client's answer.
      awaitRejected("http", "400");
      awaitRejected("http", "404");
      double model400 = modelFailures();
      double rejected400 = rejected("http", "400");
      // Reaches the model and fails there (wrong shape): the model's failure, not a rejection.
      Call wrongShape = Call.of("simple", Samples.of("fixed_shape").cases().get(0).inputs());
      assertThat(rest.infer(wrongShape).outcome()).isEqualTo(Outcome.INVALID_ARGUMENT);

      assertThat(rejected("http", "400")).isEqualTo(rejected400).isGreaterThanOrEqualTo(1);
      assertThat(modelFailures()).isEqualTo(model400 + 1);
    }
  }

  @Test
  void grpcRejectionsAreCountedByStatusName() throws InterruptedException {
    try (GrpcClient grpc = new GrpcClient(server.grpcPort(), false)) {
      Status.Code code =
          catchThrowableOfType(
                  StatusRuntimeException.class,
                  () ->
                      grpc.stub()
                          .modelInfer(
                              ModelInferRequest.newBuilder().setModelName("no_such_model").build()))
              .getStatus()
              .getCode();

      assertThat(code).isIn(Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT);
      // Counted when the call's log completes, which may be just after the client has its answer.
      awaitRejected("grpc", code.name());
      assertThat(grpc.serverReady()).isTrue();
      assertThat(rejected("grpc", "OK")).isZero();
    }
  }
}
