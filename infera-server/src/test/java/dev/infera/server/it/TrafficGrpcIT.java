package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.util.Durations;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.infera.server.grpc.proto.InferParameter;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.grpc.traffic.AbortRolloutRequest;
import dev.infera.server.grpc.traffic.Check;
import dev.infera.server.grpc.traffic.ClearTrafficRequest;
import dev.infera.server.grpc.traffic.Decision;
import dev.infera.server.grpc.traffic.FeedbackRequest;
import dev.infera.server.grpc.traffic.FeedbackResponse;
import dev.infera.server.grpc.traffic.GetRolloutRequest;
import dev.infera.server.grpc.traffic.GetTrafficRequest;
import dev.infera.server.grpc.traffic.PromoteRolloutRequest;
import dev.infera.server.grpc.traffic.RolloutHistoryRequest;
import dev.infera.server.grpc.traffic.RolloutState;
import dev.infera.server.grpc.traffic.RolloutStatus;
import dev.infera.server.grpc.traffic.SetTrafficRequest;
import dev.infera.server.grpc.traffic.StartRolloutRequest;
import dev.infera.server.grpc.traffic.TrafficPolicy;
import dev.infera.server.grpc.traffic.TrafficServiceGrpc;
import dev.infera.server.grpc.traffic.TrafficServiceGrpc.TrafficServiceBlockingStub;
import dev.infera.server.grpc.traffic.Variant;
import dev.infera.server.grpc.traffic.Verdict;
import dev.infera.server.it.ScoreModels.Candidate;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.http.HttpClient;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The traffic, rollout and feedback API over gRPC ({@code infera.traffic.v1.TrafficService}) on a
 * real server, through grpc-java's generated stubs: splits, rollouts that are judged, promoted and
 * aborted, history, feedback, and bad input answered with the right status code and a description
 * naming the problem, without disturbing what runs.
 */
class TrafficGrpcIT {
  private static InferaServer server;
  private static ManagedChannel channel;
  private static TrafficServiceBlockingStub traffic;
  private static GRPCInferenceServiceBlockingStub inference;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Random random = new Random(5);

  @BeforeAll
  static void start() throws Exception {
    Path repo = Files.createTempDirectory("infera-traffic-grpc");
    ScoreModels.add(repo, "ab", Candidate.SAME);
    ScoreModels.add(repo, "promoted", Candidate.SAME);
    ScoreModels.add(repo, "judged", Candidate.SAME);
    ScoreModels.add(repo, "rated", Candidate.SAME);
    ScoreModels.add(repo, "guarded", Candidate.SAME);
    ScoreModels.add(repo, "keyed", Candidate.SAME);
    server = InferaServer.start(ServerOptions.onFreePorts(repo));
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    Metadata user = new Metadata();
    user.put(Metadata.Key.of("x-infera-user", Metadata.ASCII_STRING_MARSHALLER), "grpc-tester");
    traffic =
        TrafficServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(user));
    inference = GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
    server.close();
  }

  private static TrafficServiceBlockingStub traffic() {
    return traffic.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** One inference over gRPC naming no version; returns the version that answered. */
  private String infer(GRPCInferenceServiceBlockingStub stub, String model, String id, Random r) {
    return infer(stub, model, id, null, r);
  }

  /** As above, with a {@code routing_key} request parameter when {@code key} is not null. */
  private String infer(
      GRPCInferenceServiceBlockingStub stub, String model, String id, String key, Random r) {
    double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), 1.0};
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
    if (id != null) {
      request.setId(id);
    }
    if (key != null) {
      request.putParameters("routing_key", InferParameter.newBuilder().setStringParam(key).build());
    }
    var input =
        request.addInputsBuilder().setName("INPUT0").setDatatype("FP32").addShape(1).addShape(4);
    for (double v : x) {
      input.getContentsBuilder().addFp32Contents((float) v);
    }
    ModelInferResponse response =
        stub.withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(request.build());
    assertThat(output(response)).isCloseTo(ScoreModels.expected(x), Offset.offset(1e-3));
    return response.getModelVersion();
  }

  /** The first element of the first output, typed or raw (the server answers raw by default). */
  private static double output(ModelInferResponse response) {
    if (response.getRawOutputContentsCount() > 0) {
      return response
          .getRawOutputContents(0)
          .asReadOnlyByteBuffer()
          .order(ByteOrder.LITTLE_ENDIAN)
          .getFloat(0);
    }
    return response.getOutputs(0).getContents().getFp32Contents(0);
  }

  @Test
  void aSplitIsSetReadAndClearedAndHoldsItsWeights() {
    TrafficPolicy set =
        traffic()
            .setTraffic(
                SetTrafficRequest.newBuilder()
                    .setModel("ab")
                    .addSplit(Variant.newBuilder().setVersion(1).setWeight(30))
                    .addSplit(Variant.newBuilder().setVersion(2).setWeight(70))
                    .setSticky(false)
                    .build());
    assertThat(set.getSplitList())
        .extracting(Variant::getModel, Variant::getVersion, Variant::getWeight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ab", 1L, 30),
            org.assertj.core.groups.Tuple.tuple("ab", 2L, 70));
    assertThat(set.getSticky()).isFalse();
    assertThat(set.getFallback()).isTrue(); // unset means the REST default
    assertThat(traffic().getTraffic(GetTrafficRequest.newBuilder().setModel("ab").build()))
        .isEqualTo(set);

    int n = 600;
    int second = 0;
    for (int i = 0; i < n; i++) {
      second += infer(inference, "ab", null, random).equals("2") ? 1 : 0;
    }
    double sigma = Math.sqrt(n * 0.7 * 0.3);
    assertThat((double) second).isBetween(n * 0.7 - 5 * sigma, n * 0.7 + 5 * sigma);

    traffic().clearTraffic(ClearTrafficRequest.newBuilder().setModel("ab").build());
    StatusRuntimeException gone =
        failure(() -> traffic().getTraffic(GetTrafficRequest.newBuilder().setModel("ab").build()));
    assertThat(gone.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(gone.getStatus().getDescription()).contains("model 'ab' has no traffic policy");
  }

  @Test
  void aRolloutIsPromotedByHandAndItsHistoryNamesWhoDidWhat() {
    RolloutStatus started =
        traffic()
            .startRollout(
                StartRolloutRequest.newBuilder()
                    .setModel("promoted")
                    .setCandidate(2)
                    .setStable(1)
                    .addSteps(10)
                    .addSteps(100)
                    .setStepDuration(Durations.fromSeconds(3600))
                    .setMinRequests(50)
                    .build());
    assertThat(started.getState()).isEqualTo(RolloutState.RUNNING);
    assertThat(started.getStep()).isEqualTo(1);
    assertThat(started.getWeight()).isEqualTo(10);
    assertThat(started.getStable()).isEqualTo(1);
    assertThat(started.getCandidate()).isEqualTo(2);
    assertThat(started.getStepsList()).containsExactly(10, 100);
    assertThat(Durations.toSeconds(started.getStepDuration())).isEqualTo(3600);
    assertThat(started.getCriteria().getMinRequests()).isEqualTo(50);
    assertThat(started.getCriteria().getMaxP99Ratio()).isEqualTo(1.5); // the default
    assertThat(started.getStartedBy()).isEqualTo("grpc-tester");
    assertThat(started.hasStepDue()).isTrue();
    assertThat(started.hasLastJudgement()).isFalse();

    RolloutStatus promoted =
        traffic().promoteRollout(PromoteRolloutRequest.newBuilder().setModel("promoted").build());
    assertThat(promoted.getState()).isEqualTo(RolloutState.PROMOTED);
    assertThat(promoted.getWeight()).isEqualTo(100);
    assertThat(promoted.getReason()).isEqualTo("promoted by grpc-tester");
    assertThat(promoted.hasStepDue()).isFalse();
    assertThat(traffic().getRollout(GetRolloutRequest.newBuilder().setModel("promoted").build()))
        .isEqualTo(promoted);
    for (int i = 0; i < 20; i++) {
      assertThat(infer(inference, "promoted", null, random)).isEqualTo("2");
    }

    List<Decision> history =
        traffic()
            .rolloutHistory(RolloutHistoryRequest.newBuilder().setModel("promoted").build())
            .getDecisionsList();
    assertThat(history).extracting(Decision::getDecision).containsExactly("start", "promote");
    assertThat(history).extracting(Decision::getBy).containsOnly("grpc-tester");
    assertThat(history.get(0).getCandidate()).isEqualTo(2);
    assertThat(history.get(0).getWeight()).isEqualTo(10);
  }

  @Test
  void aRolloutUnderLoadIsJudgedAndThenAborted() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    LongAdder answers = new LongAdder();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      Random r = new Random(100 + c);
      Thread client =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    infer(inference, "judged", null, r);
                    answers.increment();
                  } catch (Throwable t) {
                    failed.compareAndSet(null, t);
                  }
                }
              },
              "judged-client-" + c);
      client.setDaemon(true);
      client.start();
      clients.add(client);
    }
    try {
      traffic()
          .startRollout(
              StartRolloutRequest.newBuilder()
                  .setModel("judged")
                  .setCandidate(2)
                  .setStable(1)
                  .addSteps(30)
                  .addSteps(60)
                  .addSteps(100)
                  .setStepDuration(Durations.fromSeconds(2))
                  .setMaxExtensions(20)
                  .setMinRequests(20)
                  .build());
      RolloutStatus status = null;
      for (int poll = 0; poll < 1200; poll++) { // a remote state, polled (at most 2 minutes)
        status = traffic().getRollout(GetRolloutRequest.newBuilder().setModel("judged").build());
        if (status.hasLastJudgement()) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(status.hasLastJudgement()).as("a judgement within 2 minutes: %s", status).isTrue();
      var judgement = status.getLastJudgement();
      assertThat(judgement.getVerdict()).isNotEqualTo(Verdict.VERDICT_UNSPECIFIED);
      assertThat(judgement.getChecksList())
          .extracting(Check::getName)
          .contains("error_rate", "output:OUTPUT0");
      assertThat(judgement.getChecksList())
          .allSatisfy(
              check -> {
                assertThat(check.getVerdict()).isNotEqualTo(Verdict.VERDICT_UNSPECIFIED);
                assertThat(check.getDetail()).isNotEmpty();
                assertThat(check.getFiguresMap()).isNotEmpty();
              });
      assertThat(status.getWindowMap()).isNotEmpty();
      if (judgement.getVerdict() == Verdict.PASS) {
        assertThat(status.getStep() > 1 || status.getState() == RolloutState.PROMOTED)
            .as("a passed step advances: %s", status)
            .isTrue();
      }
      if (status.getState() == RolloutState.RUNNING) {
        RolloutStatus aborted =
            traffic().abortRollout(AbortRolloutRequest.newBuilder().setModel("judged").build());
        assertThat(aborted.getState()).isEqualTo(RolloutState.ABORTED);
        assertThat(aborted.getWeight()).isZero();
        assertThat(aborted.getReason()).isEqualTo("aborted by grpc-tester");
      }
      List<String> kinds =
          traffic()
              .rolloutHistory(RolloutHistoryRequest.newBuilder().setModel("judged").build())
              .getDecisionsList()
              .stream()
              .map(Decision::getDecision)
              .toList();
      assertThat(kinds.get(0)).isEqualTo("start");
      assertThat(kinds.get(kinds.size() - 1)).isIn("abort", "promote", "rollback");
    } finally {
      running.set(false);
      for (Thread client : clients) {
        client.join(TimeUnit.SECONDS.toMillis(90));
      }
    }
    assertThat(failed.get()).as("a client request failed").isNull();
    assertThat(answers.sum()).isPositive();
  }

  /** A gRPC stub sending the routing-key metadata. */
  private static GRPCInferenceServiceBlockingStub keyed(String key) {
    Metadata metadata = new Metadata();
    metadata.put(Metadata.Key.of("infera-routing-key", Metadata.ASCII_STRING_MARSHALLER), key);
    return inference.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
  }

  private String restInfer(String key, Optional<String> parameter) throws Exception {
    double[] x = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), 1.0};
    ScoreTraffic.Answer answer =
        ScoreTraffic.infer(
            HTTP,
            server.httpPort(),
            "keyed",
            x,
            parameter,
            Optional.empty(),
            Map.of("infera-routing-key", key));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.value()).isCloseTo(ScoreModels.expected(x), Offset.offset(1e-3));
    return answer.version();
  }

  @Test
  void stickyAssignmentFollowsTheRoutingKeyHeaderOverRestAndGrpc() throws Exception {
    traffic()
        .setTraffic(
            SetTrafficRequest.newBuilder()
                .setModel("keyed")
                .addSplit(Variant.newBuilder().setVersion(1).setWeight(50))
                .addSplit(Variant.newBuilder().setVersion(2).setWeight(50))
                .setSticky(true)
                .build());
    Map<String, Set<String>> seen = new HashMap<>();
    for (int round = 0; round < 5; round++) {
      for (int k = 0; k < 40; k++) {
        String key = "user-" + k;
        Set<String> versions = seen.computeIfAbsent(key, unused -> new HashSet<>());
        versions.add(restInfer(key, Optional.empty()));
        versions.add(infer(keyed(key), "keyed", null, random));
      }
    }
    // One key, one variant, over both transports; and the keys use both variants.
    assertThat(seen.values()).allSatisfy(versions -> assertThat(versions).hasSize(1));
    Map<String, String> variantOf = new HashMap<>();
    seen.forEach((key, versions) -> variantOf.put(key, versions.iterator().next()));
    assertThat(new HashSet<>(variantOf.values())).containsExactlyInAnyOrder("1", "2");

    // The parameter wins over the header when both come.
    String one = keyWith(variantOf, "1");
    String two = keyWith(variantOf, "2");
    for (int i = 0; i < 10; i++) {
      assertThat(restInfer(two, Optional.of(one))).isEqualTo("1");
      assertThat(restInfer(one, Optional.of(two))).isEqualTo("2");
      assertThat(infer(keyed(two), "keyed", null, one, random)).isEqualTo("1");
      assertThat(infer(keyed(one), "keyed", null, two, random)).isEqualTo("2");
    }
  }

  private static String keyWith(Map<String, String> variantOf, String version) {
    return variantOf.entrySet().stream()
        .filter(e -> e.getValue().equals(version))
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  @Test
  void serverReflectionListsTheTrafficServiceForGrpcurl() {
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
    requests.onNext(
        ServerReflectionRequest.newBuilder()
            .setFileContainingSymbol("infera.traffic.v1.TrafficService")
            .build());
    requests.onCompleted();
    assertThat(answer)
        .succeedsWithin(Duration.ofSeconds(60))
        .satisfies(
            response ->
                assertThat(response.getFileDescriptorResponse().getFileDescriptorProtoCount())
                    .isPositive());
  }

  @Test
  void feedbackIsCreditedToTheVariantThatAnswered() {
    String version = infer(inference, "rated", "grpc-req-7", random);
    FeedbackResponse credited =
        traffic()
            .feedback(
                FeedbackRequest.newBuilder()
                    .setModel("rated")
                    .setId("grpc-req-7")
                    .setReward(0.5)
                    .build());
    assertThat(credited.getId()).isEqualTo("grpc-req-7");
    assertThat(credited.getVariant()).isEqualTo(version);
  }

  @Test
  void badInputIsTheRightStatusNamingTheProblemAndDisturbsNothing() {
    traffic()
        .startRollout(
            StartRolloutRequest.newBuilder()
                .setModel("guarded")
                .setCandidate(2)
                .setStable(1)
                .addSteps(5)
                .addSteps(100)
                .setStepDuration(Durations.fromSeconds(3600))
                .build());

    expect(
        () -> traffic().startRollout(start("nope").setCandidate(2).build()),
        Status.Code.NOT_FOUND,
        "model 'nope' is not found");
    expect(
        () -> traffic().startRollout(start("ab").setCandidate(9).build()),
        Status.Code.NOT_FOUND,
        "version '9'");
    expect(
        () -> traffic().startRollout(start("ab").setCandidate(1).setStable(1).build()),
        Status.Code.INVALID_ARGUMENT,
        "is the stable version");
    expect(
        () ->
            traffic()
                .startRollout(
                    start("ab").setCandidate(2).setStable(1).addSteps(50).addSteps(20).build()),
        Status.Code.INVALID_ARGUMENT,
        "strictly increasing");
    expect(
        () -> traffic().startRollout(start("ab").build()),
        Status.Code.INVALID_ARGUMENT,
        "'candidate' is missing");
    expect(
        () -> traffic().startRollout(start("guarded").setCandidate(2).setStable(1).build()),
        Status.Code.FAILED_PRECONDITION,
        "has a running rollout of version 2");
    expect(
        () ->
            traffic()
                .setTraffic(
                    SetTrafficRequest.newBuilder()
                        .setModel("ab")
                        .addSplit(Variant.newBuilder().setVersion(1).setWeight(60))
                        .addSplit(Variant.newBuilder().setVersion(2).setWeight(30))
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        "sum to 90 (expected 100)");
    expect(
        () ->
            traffic()
                .setTraffic(
                    SetTrafficRequest.newBuilder()
                        .setModel("ab")
                        .addSplit(
                            Variant.newBuilder().setModel("nope").setVersion(1).setWeight(100))
                        .build()),
        Status.Code.NOT_FOUND,
        "model 'nope' is not found");
    expect(
        () ->
            traffic()
                .feedback(
                    FeedbackRequest.newBuilder()
                        .setModel("guarded")
                        .setId("never-sent")
                        .setReward(1)
                        .build()),
        Status.Code.NOT_FOUND,
        "no recent request with id 'never-sent'");
    expect(
        () -> traffic().getRollout(GetRolloutRequest.newBuilder().setModel("../etc").build()),
        Status.Code.INVALID_ARGUMENT,
        "model name");
    expect(
        () -> traffic().abortRollout(AbortRolloutRequest.newBuilder().setModel("ab").build()),
        Status.Code.NOT_FOUND,
        "model 'ab' has no rollout");

    RolloutStatus status =
        traffic().getRollout(GetRolloutRequest.newBuilder().setModel("guarded").build());
    assertThat(status.getState()).isEqualTo(RolloutState.RUNNING);
    assertThat(status.getWeight()).isEqualTo(5);
    assertThat(infer(inference, "guarded", null, random)).isIn("1", "2");
    assertThat(
            traffic()
                .abortRollout(AbortRolloutRequest.newBuilder().setModel("guarded").build())
                .getState())
        .isEqualTo(RolloutState.ABORTED);
  }

  private static StartRolloutRequest.Builder start(String model) {
    return StartRolloutRequest.newBuilder().setModel(model);
  }

  private static StatusRuntimeException failure(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run);
  }

  private static void expect(Runnable call, Status.Code code, String message) {
    StatusRuntimeException e = failure(call);
    assertThat(e).as("expected %s naming '%s'", code, message).isNotNull();
    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).contains(message);
  }
}
