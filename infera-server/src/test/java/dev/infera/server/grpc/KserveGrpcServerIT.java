package dev.infera.server.grpc;

import static dev.infera.server.grpc.Messages.input;
import static dev.infera.server.grpc.Messages.rawRequest;
import static dev.infera.server.grpc.Messages.typed;
import static dev.infera.server.grpc.Messages.typedRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.Server;
import dev.infera.core.InferenceResponse;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.infera.server.grpc.proto.InferTensorContents;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.grpc.proto.ServerReadyRequest;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gRPC frontend on a real Armeria server (free port) called by a real grpc-java client. The
 * engine behind it is {@link FakeInferenceService}; the protocol suite against real models lives
 * with the assembly.
 */
class KserveGrpcServerIT {
  private static final int MIB = 1024 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final FakeInferenceService engine = new FakeInferenceService();
  private static Server server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    GrpcApi api = new GrpcApi(engine);
    server = Server.builder().http(0).service(api.service(), api.requestSizeLimit()).build();
    server.start().join();
    channel = channelTo(server);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.stop().join();
  }

  private static ManagedChannel channelTo(Server target) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", target.activeLocalPort())
        .usePlaintext()
        .maxInboundMessageSize(128 * MIB)
        .build();
  }

  private static GRPCInferenceServiceBlockingStub stub() {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static ByteString randomBytes(int size) {
    byte[] data = new byte[size];
    new Random(42).nextBytes(data);
    return ByteString.copyFrom(data);
  }

  @Test
  void rawModelInferRoundTrips() {
    ByteString raw = randomBytes(4 * 6);

    ModelInferResponse response =
        stub()
            .modelInfer(
                rawRequest("echo", input("INPUT0", "FP32", 2, 3), raw).toBuilder()
                    .setId("r1")
                    .build());

    assertThat(response.getModelName()).isEqualTo("echo");
    assertThat(response.getId()).isEqualTo("r1");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L, 3L);
    assertThat(response.getRawOutputContents(0)).isEqualTo(raw);
  }

  @Test
  void answerFromAnEngineThreadReachesTheClient() {
    ByteString raw = randomBytes(8);

    ModelInferResponse response =
        stub().modelInfer(rawRequest("echo-later", input("INPUT0", "INT64", 1), raw));

    assertThat(response.getRawOutputContents(0)).isEqualTo(raw);
  }

  @Test
  void grpcJsonClientIsServed() { // the JSON marshaller is built on the first JSON message
    GRPCInferenceServiceBlockingStub json =
        GrpcClients.builder("http://127.0.0.1:" + server.activeLocalPort())
            .serializationFormat(GrpcSerializationFormats.JSON)
            .responseTimeout(WAIT)
            .build(GRPCInferenceServiceBlockingStub.class);
    ByteString raw = randomBytes(8);

    ModelInferResponse response =
        json.modelInfer(rawRequest("echo", input("INPUT0", "INT64", 1), raw));

    assertThat(response.getRawOutputContents(0)).isEqualTo(raw);
    assertThat(json.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
  }

  @Test
  void typedModelInferIsAnsweredWithRawContents() {
    byte[] utf8 = "🚀 ok".getBytes(StandardCharsets.UTF_8);
    InferTensorContents text =
        InferTensorContents.newBuilder().addBytesContents(ByteString.copyFrom(utf8)).build();

    ModelInferResponse response =
        stub().modelInfer(typedRequest("echo", typed("INPUT0", "BYTES", text, 1)));

    ByteBuffer expected =
        ByteBuffer.allocate(4 + utf8.length).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length);
    expected.put(utf8).flip();
    assertThat(response.getRawOutputContentsList()).containsExactly(ByteString.copyFrom(expected));
    assertThat(response.getOutputs(0).hasContents()).isFalse();
  }

  @Test
  void messageLargerThanArmeriasDefaultLimitIsAccepted() {
    ByteString raw = randomBytes(24 * MIB);

    ModelInferResponse response =
        stub().modelInfer(rawRequest("echo", input("INPUT0", "UINT8", raw.size()), raw));

    assertThat(response.getRawOutputContents(0)).isEqualTo(raw);
  }

  @Test
  void messageAboveTheConfiguredLimitIsResourceExhausted() {
    GrpcApi smallApi = new GrpcApi(engine, MIB);
    Server small =
        Server.builder().http(0).service(smallApi.service(), smallApi.requestSizeLimit()).build();
    small.start().join();
    ManagedChannel smallChannel = channelTo(small);
    try {
      ModelInferRequest request =
          rawRequest("echo", input("INPUT0", "UINT8", 2 * MIB), randomBytes(2 * MIB));

      assertThatThrownBy(
              () -> GRPCInferenceServiceGrpc.newBlockingStub(smallChannel).modelInfer(request))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().getDescription()).contains(String.valueOf(MIB));
              });
    } finally {
      smallChannel.shutdownNow();
      small.stop().join();
    }
  }

  @Test
  void unknownModelIsNotFoundWithTheEnginesMessage() {
    ModelInferRequest request = rawRequest("nope", input("INPUT0", "UINT8", 1), randomBytes(1));

    assertThatThrownBy(() -> stub().modelInfer(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).contains("'nope'");
            });
  }

  @Test
  void clientCancellationCancelsTheInference() throws Exception {
    RecordingObserver<ModelInferResponse> observer = new RecordingObserver<>();
    Context.CancellableContext call = Context.current().withCancellation();
    call.run(
        () ->
            GRPCInferenceServiceGrpc.newStub(channel)
                .modelInfer(
                    rawRequest("pending", input("INPUT0", "UINT8", 1), randomBytes(1)), observer));
    CompletableFuture<InferenceResponse> inference =
        engine.pending.poll(WAIT.toSeconds(), TimeUnit.SECONDS);

    call.cancel(null);

    assertThat(inference).failsWithin(WAIT).withThrowableOfType(CancellationException.class);
  }

  @Test
  void passedDeadlineCancelsTheInference() throws Exception {
    ModelInferRequest request = rawRequest("pending", input("INPUT0", "UINT8", 1), randomBytes(1));
    CompletableFuture<Status> status =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                GRPCInferenceServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(200, TimeUnit.MILLISECONDS)
                    .modelInfer(request);
                return Status.OK;
              } catch (StatusRuntimeException e) {
                return e.getStatus();
              }
            },
            command -> new Thread(command, "deadline-test-client").start());
    CompletableFuture<InferenceResponse> inference =
        engine.pending.poll(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(status.get(WAIT.toSeconds(), TimeUnit.SECONDS).getCode())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(inference).failsWithin(WAIT).withThrowableOfType(CancellationException.class);
  }

  @Test
  void serverReadyAnswers() {
    assertThat(stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
  }

  @Test
  void reflectionListsTheInferenceService() {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    answer.complete(response);
                  }

                  @Override
                  public void onError(Throwable error) {
                    answer.completeExceptionally(error);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();

    assertThat(answer)
        .succeedsWithin(WAIT)
        .satisfies(
            response ->
                assertThat(response.getListServicesResponse().getServiceList())
                    .extracting(ServiceResponse::getName)
                    .contains("inference.GRPCInferenceService"));
  }
}
