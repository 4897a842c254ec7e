package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.cache.CacheSettings;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.it.ProtocolClient.Reply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Deadlines and the response cache, end to end over REST and gRPC. */
class ResilienceIT {
  private static final String SLOW_EXECUTIONS =
      "infera_inference_exec_count_total{model=\"slow\",version=\"1\"}";

  @Test
  void restTimeoutAnswers504AndTheRequestNeverExecutes() throws Exception {
    try (InferaServer server =
            InferaServer.start(ServerOptions.onFreePorts(SlowQueueModel.repository(2_000, "")));
        RestClient rest = new RestClient(server.httpPort(), false)) {
      Call call =
          new Call(
              SlowQueueModel.NAME,
              null,
              null,
              SlowQueueModel.inputs(),
              List.of(),
              Map.of("timeout", 50_000L));

      Reply reply = rest.infer(call);

      assertThat(reply.outcome()).isEqualTo(Outcome.DEADLINE_EXCEEDED);
      assertThat(reply.message()).contains("model 'slow' version '1'").contains("deadline (50 ms)");
      assertThat(SlowQueueModel.metric(server.metricsPort(), SLOW_EXECUTIONS)).isZero();
    }
  }

  @Test
  void grpcDeadlineDropsTheRequestBeforeExecution() throws Exception {
    try (InferaServer server =
            InferaServer.start(ServerOptions.onFreePorts(SlowQueueModel.repository(2_000, "")));
        GrpcClient grpc = new GrpcClient(server.grpcPort(), false)) {
      ModelInferRequest request = GrpcRequests.add(SlowQueueModel.NAME);

      StatusRuntimeException error =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              StatusRuntimeException.class,
              () -> grpc.stub().withDeadlineAfter(100, TimeUnit.MILLISECONDS).modelInfer(request));

      assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      while (server.engine().inflightCount() > 0) {
        Thread.onSpinWait(); // the server drops it at the deadline, long before its batch is due
      }
      assertThat(SlowQueueModel.metric(server.metricsPort(), SLOW_EXECUTIONS)).isZero();
    }
  }

  @Test
  void cachedResponseEchoesTheCallersOwnId() throws Exception {
    ServerOptions options =
        ServerOptions.onFreePorts(SlowQueueModel.repository(1, "response_cache { enable: true }"))
            .withCache(Optional.of(new CacheSettings(1 << 20)));
    try (InferaServer server = InferaServer.start(options);
        RestClient rest = new RestClient(server.httpPort(), false);
        GrpcClient grpc = new GrpcClient(server.grpcPort(), false)) {
      Call call = Call.of(SlowQueueModel.NAME, SlowQueueModel.inputs());

      Reply first = rest.infer(call.withId("first"));
      Reply second = grpc.infer(call.withId("second"));

      assertThat(second.id()).isEqualTo("second");
      assertThat(SlowQueueModel.isCorrect(first)).isTrue();
      assertThat(SlowQueueModel.isCorrect(second)).isTrue();
      assertThat(
              SlowQueueModel.metric(
                  server.metricsPort(), "infera_cache_hits_total{model=\"slow\",version=\"1\"}"))
          .isEqualTo(1.0);
      assertThat(SlowQueueModel.metric(server.metricsPort(), SLOW_EXECUTIONS)).isEqualTo(1.0);
    }
  }

  @Test
  void repositoryIndexShowsEachVersionsCircuitBreaker() throws Exception {
    try (InferaServer server =
            InferaServer.start(ServerOptions.onFreePorts(SlowQueueModel.repository(1, "")));
        RestClient rest = new RestClient(server.httpPort(), false)) {
      var response = rest.post("/v2/repository/index", "{}".getBytes(), Map.of());

      assertThat(new String(response.body()))
          .contains("\"name\":\"slow\"")
          .contains("\"circuit_breaker\":\"CLOSED\"");
    }
  }
}
