package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.it.ProtocolClient.Reply;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One client's values that XGBoost cannot take (infinity) never fail the requests batched with
 * them, and never open the version's circuit breaker: 32 clients send good rows while one sends
 * infinity, over REST (binary tensors) and gRPC (raw contents). NaN is XGBoost's "missing" and is
 * accepted.
 */
class PoisonedBatchIT {
  private static final String MODEL = "xgb_tabular";
  private static final int GOOD_CLIENTS = 32;
  private static final int CALLS_PER_CLIENT = 6;
  private static final int FEATURES = 64;

  private static InferaServer server;

  @BeforeAll
  static void start() {
    server = InferaServer.start(ServerOptions.onFreePorts(repository()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** xgb_tabular whose batches wait 20 ms for more requests, so the bad row shares batches. */
  private static Path repository() {
    try {
      Path repo = Files.createTempDirectory("infera-poison");
      TestRepository.copyInto(TestRepository.examples().resolve(MODEL), repo.resolve(MODEL));
      Path config = repo.resolve(MODEL).resolve("config.pbtxt");
      Files.writeString(
          config,
          Files.readString(config)
              .replace(
                  "dynamic_batching { }",
                  "dynamic_batching { max_queue_delay_microseconds: 20000 }"));
      return repo;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Tensor row(float value, float poison) {
    ByteBuffer data = ByteBuffer.allocate(FEATURES * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < FEATURES; i++) {
      data.putFloat(i == 7 ? poison : value);
    }
    data.flip();
    return Tensor.of("features", DataType.FP32, new long[] {1, FEATURES}, data);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rest", "grpc"})
  void infinityFailsAloneAndTheBreakerStaysClosed(String transport) throws Exception {
    IntFunction<ProtocolClient> client =
        i ->
            transport.equals("rest")
                ? new RestClient(server.httpPort(), true)
                : new GrpcClient(server.grpcPort(), true);
    ExecutorService callers = Executors.newFixedThreadPool(GOOD_CLIENTS + 1);
    try {
      List<CompletableFuture<List<Reply>>> good = new ArrayList<>();
      for (int c = 0; c < GOOD_CLIENTS; c++) {
        float value = c / (float) GOOD_CLIENTS;
        good.add(
            CompletableFuture.supplyAsync(
                () -> calls(client, row(value, value), CALLS_PER_CLIENT), callers));
      }
      CompletableFuture<List<Reply>> bad =
          CompletableFuture.supplyAsync(
              () -> calls(client, row(0.5f, Float.POSITIVE_INFINITY), 2 * CALLS_PER_CLIENT),
              callers);

      for (CompletableFuture<List<Reply>> replies : good) {
        for (Reply reply : replies.get()) {
          assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
          assertThat(reply.output("probabilities").shape()).containsExactly(1, 2);
        }
      }
      for (Reply reply : bad.get()) {
        assertThat(reply.outcome()).isEqualTo(Outcome.INVALID_ARGUMENT);
        assertThat(reply.message()).contains("'features'").contains("infinit");
      }
    } finally {
      callers.shutdownNow();
    }
    String metrics = Metrics.scrape(server.metricsPort());
    assertThat(
            Metrics.value(
                metrics,
                "infera_circuit_breaker_state{model=\"xgb_tabular\",state=\"closed\",version=\"1\"}"))
        .isEqualTo(1.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rest", "grpc"})
  void nanIsMissingForXgboost(String transport) {
    try (ProtocolClient client =
        transport.equals("rest")
            ? new RestClient(server.httpPort(), true)
            : new GrpcClient(server.grpcPort(), true)) {
      Reply reply = client.infer(Call.of(MODEL, List.of(row(0.25f, Float.NaN))));

      assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
    }
  }

  private static List<Reply> calls(IntFunction<ProtocolClient> factory, Tensor input, int count) {
    try (ProtocolClient client = factory.apply(0)) {
      List<Reply> replies = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        replies.add(client.infer(Call.of(MODEL, List.of(input))));
      }
      return replies;
    }
  }
}
