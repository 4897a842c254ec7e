package dev.infera.server.it;

import static dev.infera.server.it.SecuredServer.ADMIN_KEY;
import static dev.infera.server.it.SecuredServer.INFER_KEY;
import static dev.infera.server.it.SecuredServer.READ_KEY;
import static dev.infera.server.it.SecuredServer.SIMPLE_REQUEST;
import static dev.infera.server.it.SecuredServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infera.server.InferaServer;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelMetadataRequest;
import dev.infera.server.grpc.proto.ServerLiveRequest;
import dev.infera.server.grpc.proto.ServerReadyRequest;
import dev.infera.server.grpc.traffic.ClearTrafficRequest;
import dev.infera.server.grpc.traffic.FeedbackRequest;
import dev.infera.server.grpc.traffic.GetRolloutRequest;
import dev.infera.server.grpc.traffic.SetTrafficRequest;
import dev.infera.server.grpc.traffic.StartRolloutRequest;
import dev.infera.server.grpc.traffic.TrafficServiceGrpc;
import dev.infera.server.grpc.traffic.TrafficServiceGrpc.TrafficServiceBlockingStub;
import dev.infera.server.grpc.traffic.Variant;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Authentication and roles over REST and gRPC, against a real server with an auth file. */
class AuthIT {
  private static final String INFER = "/v2/models/simple/infer";

  private final InferaServer server = SecuredServer.get();
  private final GrpcClient grpc = new GrpcClient(server.grpcPort(), false);

  @AfterEach
  void closeClient() {
    grpc.close();
  }

  private GRPCInferenceServiceBlockingStub grpcAs(String key) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return grpc.stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private TrafficServiceBlockingStub trafficAs(String key) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return TrafficServiceGrpc.newBlockingStub(grpc.stub().getChannel())
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static Status.Code grpcFailure(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus().getCode();
  }

  private static ModelInferRequest simpleInfer(String model) {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
    for (String name : new String[] {"INPUT0", "INPUT1"}) {
      request
          .addInputsBuilder()
          .setName(name)
          .setDatatype("INT32")
          .addShape(1)
          .addShape(16)
          .getContentsBuilder()
          .addAllIntContents(java.util.Collections.nCopies(16, 1));
    }
    return request.build();
  }

  @Test
  void refusedRequestsAreCountedAsRejectedByProtocolAndStatus() throws InterruptedException {
    SecuredServer.post("/v2/models/simple/infer", SIMPLE_REQUEST, Map.of());
    grpcFailure(() -> grpc.stub().modelInfer(simpleInfer("simple")));

    // Counted when each request's log completes, which may be just after the client's answer.
    Duration patience = Duration.ofSeconds(30);
    Metrics.await(
        server.metricsPort(), Metrics.rejectedSeries("http", "401"), value -> value >= 1, patience);
    Metrics.await(
        server.metricsPort(),
        Metrics.rejectedSeries("grpc", "UNAUTHENTICATED"),
        value -> value >= 1,
        patience);
  }

  @Test
  void healthEndpointsNeedNoKey() {
    assertThat(SecuredServer.get("/v2/health/live", Map.of()).statusCode()).isEqualTo(200);
    assertThat(SecuredServer.get("/v2/health/ready", Map.of()).statusCode()).isEqualTo(200);
    assertThat(grpc.stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(grpc.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
        .isTrue();
  }

  @Test
  void inferenceWithoutAKeyIs401WithAJsonError() {
    SecuredServer.Reply response = SecuredServer.post(INFER, SIMPLE_REQUEST, Map.of());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(Optional.ofNullable(response.headers().get("www-authenticate")))
        .contains("Bearer realm=\"infera\"");
    assertThat(RestClient.errorMessage(response.body().getBytes())).contains("missing credentials");
  }

  @Test
  void anUnknownKeyIs401() {
    SecuredServer.Reply response = SecuredServer.post(INFER, SIMPLE_REQUEST, bearer("guess"));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(RestClient.errorMessage(response.body().getBytes()))
        .isEqualTo("the API key is not valid");
  }

  @Test
  void aKeyWithoutTheInferRoleIs403() {
    SecuredServer.Reply response = SecuredServer.post(INFER, SIMPLE_REQUEST, bearer(READ_KEY));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(RestClient.errorMessage(response.body().getBytes())).contains("'infer' role");
  }

  @Test
  void aKeyWithTheInferRoleRunsInference() {
    SecuredServer.Reply response = SecuredServer.post(INFER, SIMPLE_REQUEST, bearer(INFER_KEY));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("OUTPUT0");
  }

  @Test
  void metadataNeedsTheReadRole() {
    assertThat(SecuredServer.get("/v2/models/simple", bearer(INFER_KEY)).statusCode())
        .isEqualTo(403);
    assertThat(SecuredServer.get("/v2/models/simple", bearer(READ_KEY)).statusCode())
        .isEqualTo(200);
    assertThat(SecuredServer.get("/v2/models/simple/ready", bearer(READ_KEY)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void repositoryChangesNeedTheAdminRole() {
    String load = "/v2/repository/models/simple/load";

    assertThat(SecuredServer.post(load, "{}", bearer(READ_KEY)).statusCode()).isEqualTo(403);
    assertThat(SecuredServer.post(load, "{}", bearer(ADMIN_KEY)).statusCode()).isNotIn(401, 403);
  }

  @Test
  void grpcWithoutAKeyIsUnauthenticated() {
    assertThat(grpcFailure(() -> grpc.stub().modelInfer(simpleInfer("simple"))))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void grpcWithoutTheRoleIsPermissionDenied() {
    ModelMetadataRequest metadata = ModelMetadataRequest.newBuilder().setName("simple").build();

    assertThat(grpcFailure(() -> grpcAs(INFER_KEY).modelMetadata(metadata)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(grpcAs(READ_KEY).modelMetadata(metadata).getName()).isEqualTo("simple");
  }

  @Test
  void grpcWithTheInferRoleRunsInference() {
    assertThat(grpcAs(INFER_KEY).modelInfer(simpleInfer("simple")).getOutputsCount()).isEqualTo(2);
  }

  @Test
  void credentialsAreCheckedBeforeTheRequestItself() {
    assertThat(grpcFailure(() -> grpc.stub().modelInfer(simpleInfer("../etc"))))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(SecuredServer.post("/v2/models/.hidden/infer", "{}", Map.of()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void refusalsAreCountedOnTheMetricsPort() throws Exception {
    String series = "infera_auth_failures_total{protocol=\"grpc\",reason=\"invalid_key\"}";
    double before = value(scrape(), series);

    grpcFailure(() -> grpcAs("wrong").modelInfer(simpleInfer("simple")));

    assertThat(value(scrape(), series) - before).isEqualTo(1);
  }

  private String scrape() {
    return Metrics.scrape(server.metricsPort());
  }

  private static double value(String text, String series) {
    Matcher matcher =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  @Test
  void grpcTrafficMethodsNeedTheRolesOfTheirRestTwins() {
    // Reads need 'read' (the answer is then the service's own: simple has no rollout).
    assertThat(
            grpcFailure(
                () ->
                    trafficAs(READ_KEY)
                        .getRollout(GetRolloutRequest.newBuilder().setModel("simple").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            grpcFailure(
                () ->
                    trafficAs(INFER_KEY)
                        .getRollout(GetRolloutRequest.newBuilder().setModel("simple").build())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    // Feedback needs 'infer', as POST /v2/models/{m}/feedback.
    FeedbackRequest feedback =
        FeedbackRequest.newBuilder().setModel("simple").setId("never-sent").setReward(1).build();
    assertThat(grpcFailure(() -> trafficAs(INFER_KEY).feedback(feedback)))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(grpcFailure(() -> trafficAs(READ_KEY).feedback(feedback)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    // Changes need 'admin'.
    StartRolloutRequest start =
        StartRolloutRequest.newBuilder().setModel("simple").setCandidate(9).build();
    assertThat(grpcFailure(() -> trafficAs(READ_KEY).startRollout(start)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(grpcFailure(() -> trafficAs(INFER_KEY).startRollout(start)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(grpcFailure(() -> trafficAs(ADMIN_KEY).startRollout(start)))
        .isEqualTo(Status.Code.NOT_FOUND);
    SetTrafficRequest set =
        SetTrafficRequest.newBuilder()
            .setModel("simple")
            .addSplit(Variant.newBuilder().setVersion(1).setWeight(100))
            .build();
    assertThat(grpcFailure(() -> trafficAs(READ_KEY).setTraffic(set)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    ClearTrafficRequest clear = ClearTrafficRequest.newBuilder().setModel("simple").build();
    assertThat(grpcFailure(() -> trafficAs(INFER_KEY).clearTraffic(clear)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(grpcFailure(() -> trafficAs(ADMIN_KEY).clearTraffic(clear)))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            grpcFailure(
                () ->
                    TrafficServiceGrpc.newBlockingStub(grpc.stub().getChannel())
                        .clearTraffic(clear)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }
}
