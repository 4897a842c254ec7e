package dev.infera.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.bench.input.InputTensor;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.spi.DataType;
import io.grpc.Attributes;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real grpc-java server on a loopback port that counts its connections. */
class GrpcInferClientTest {
  private static final List<InputTensor> INPUTS =
      List.of(new InputTensor("x", DataType.INT32, new long[] {1, 2}, new byte[8]));

  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicReference<io.grpc.Status> refusal =
      new java.util.concurrent.atomic.AtomicReference<>();
  private Server server;

  @BeforeEach
  void startServer() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase() {
                  @Override
                  public void modelInfer(
                      ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
                    requests.incrementAndGet();
                    if (refusal.get() != null) {
                      answer.onError(refusal.get().asRuntimeException());
                      return;
                    }
                    answer.onNext(
                        ModelInferResponse.newBuilder()
                            .setModelName(request.getModelName())
                            .build());
                    answer.onCompleted();
                  }
                })
            .addTransportFilter(
                new ServerTransportFilter() {
                  @Override
                  public Attributes transportReady(Attributes attributes) {
                    connections.incrementAndGet();
                    return attributes;
                  }
                })
            .build()
            .start();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private void sendAll(int channels, int count) {
    try (GrpcInferClient client =
        new GrpcInferClient(
            "127.0.0.1:" + server.getPort(), "m", Duration.ofSeconds(10), channels)) {
      client.prepare(INPUTS);
      List<CompletableFuture<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        outcomes.add(client.send());
      }
      assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.join()).isNull());
    }
  }

  @Test
  void oneChannelIsOneConnection() {
    sendAll(1, 6);

    assertThat(requests).hasValue(6);
    assertThat(connections).hasValue(1);
  }

  @Test
  void requestsSpreadOverEveryConnection() {
    sendAll(3, 9);

    assertThat(requests).hasValue(9);
    assertThat(connections).hasValue(3);
  }

  @Test
  void noConnectionsIsRefused() {
    assertThatThrownBy(() -> new GrpcInferClient("127.0.0.1:9", "m", Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected >= 1");
  }

  @Test
  void aRefusedRequestIsCountedByCodeAndItsDetailIsTheServersMessage() {
    refusal.set(
        io.grpc.Status.INVALID_ARGUMENT.withDescription("batch size 1000 (expected 1 to 256)"));
    try (GrpcInferClient client =
        new GrpcInferClient("127.0.0.1:" + server.getPort(), "m", Duration.ofSeconds(10), 1)) {
      client.prepare(INPUTS);

      assertThat(client.send().join()).isEqualTo("grpc INVALID_ARGUMENT");
      assertThat(client.failureDetail()).isEqualTo("batch size 1000 (expected 1 to 256)");
    }
  }

  @Test
  void anAcceptedRequestHasNoFailureDetail() {
    try (GrpcInferClient client =
        new GrpcInferClient("127.0.0.1:" + server.getPort(), "m", Duration.ofSeconds(10), 1)) {
      client.prepare(INPUTS);

      assertThat(client.failureDetail()).isEmpty();
    }
  }
}
