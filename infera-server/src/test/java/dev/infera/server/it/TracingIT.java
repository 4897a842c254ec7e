package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.infera.server.grpc.proto.InferTensorContents;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.grpc.proto.TraceSettingRequest;
import dev.infera.server.grpc.proto.TraceSettingResponse;
import dev.infera.server.observability.ObservabilityOptions;
import dev.infera.server.tracing.TraceConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tracing on a real server, exporting over real OTLP/HTTP to {@link OtlpReceiver} (a stand-in for
 * an OpenTelemetry Collector): a REST and a gRPC request, each carrying its caller's {@code
 * traceparent}, share one batch of {@code simple_batched} (preferred batch size 2).
 */
class TracingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String REST_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String REST_PARENT = "b7ad6b7169203331";
  private static final String GRPC_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String GRPC_PARENT = "00f067aa0ba902b7";

  private InferaServer server;
  private OtlpReceiver receiver;
  private ManagedChannel channel;
  private final ExecutorService callers = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    callers.shutdownNow();
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private InferaServer start(String... traceConfig) throws Exception {
    Path root = Files.createTempDirectory("infera-tracing");
    TestRepository.copyInto(TestRepository.examples().resolve("simple"), root.resolve("simple"));
    Path batched = root.resolve("simple_batched");
    Files.createDirectories(batched.resolve("1"));
    Files.copy(root.resolve("simple/1/model.onnx"), batched.resolve("1/model.onnx"));
    Files.writeString(
        batched.resolve("config.pbtxt"),
        Files.readString(root.resolve("simple/config.pbtxt"))
                .replace("name: \"simple\"", "name: \"simple_batched\"")
            + "dynamic_batching { preferred_batch_size: [ 2 ] max_queue_delay_microseconds:"
            + " 10000000 }\n");
    server =
        InferaServer.start(
            ServerOptions.onFreePorts(root),
            ObservabilityOptions.NONE.withTracing(TraceConfig.parse(List.of(traceConfig))));
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    return server;
  }

  private static String restBody() {
    return restBody("INPUT0", "INPUT1");
  }

  private static String restBody(String first, String second) {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      data.append(i == 0 ? "" : ",").append(i);
    }
    return "{\"id\":\"rest-1\",\"inputs\":["
        + "{\"name\":\""
        + first
        + "\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":["
        + data
        + "]},{\"name\":\""
        + second
        + "\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":["
        + data
        + "]}]}";
  }

  private HttpResponse<String> rest(String model, String traceparent) throws Exception {
    return rest(model, traceparent, restBody());
  }

  private HttpResponse<String> rest(String model, String traceparent, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server.httpPort() + "/v2/models/" + model + "/infer"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (traceparent != null) {
      request.header("traceparent", traceparent).header("tracestate", "vendor=1");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private ModelInferResponse grpc(String model, String traceparent) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), traceparent);
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (int i = 0; i < 16; i++) {
      contents.addIntContents(i);
    }
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
    for (String input : List.of("INPUT0", "INPUT1")) {
      request.addInputs(
          ModelInferRequest.InferInputTensor.newBuilder()
              .setName(input)
              .setDatatype("INT32")
              .addShape(1)
              .addShape(16)
              .setContents(contents));
    }
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .modelInfer(request.build());
  }

  private static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  private static String attribute(Span span, String key) {
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().hasIntValue()
            ? Long.toString(kv.getValue().getIntValue())
            : kv.getValue().getStringValue();
      }
    }
    return null;
  }

  private static List<Span> named(List<Span> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).toList();
  }

  private static Span requestSpan(List<Span> spans, String traceId) {
    return named(spans, "infer").stream()
        .filter(s -> hex(s.getTraceId()).equals(traceId))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void restAndGrpcRequestsSharingABatchExportTheirSpanTreesWithTheCallersTraceIds()
      throws Exception {
    start(
        "level=TIMESTAMPS",
        "rate=1",
        "mode=opentelemetry",
        "opentelemetry,url=" + (receiver = new OtlpReceiver()).url(),
        "opentelemetry,bsp_schedule_delay=50",
        "opentelemetry,resource=deployment.environment=test");

    CompletableFuture<HttpResponse<String>> viaRest =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return rest("simple_batched", "00-" + REST_TRACE + "-" + REST_PARENT + "-01");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            callers);
    CompletableFuture<ModelInferResponse> viaGrpc =
        CompletableFuture.supplyAsync(
            () -> grpc("simple_batched", "00-" + GRPC_TRACE + "-" + GRPC_PARENT + "-00"), callers);
    assertThat(viaRest.get(90, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(viaGrpc.get(90, TimeUnit.SECONDS).getModelName()).isEqualTo("simple_batched");

    List<Span> spans =
        receiver.await(
            got ->
                named(got, "infer").size() == 2
                    && named(got, "execute_batch").size() >= 1
                    && named(got, "encode").size() == 2);

    Span restSpan = requestSpan(spans, REST_TRACE);
    Span grpcSpan = requestSpan(spans, GRPC_TRACE);
    assertThat(hex(restSpan.getParentSpanId())).isEqualTo(REST_PARENT);
    assertThat(hex(grpcSpan.getParentSpanId())).isEqualTo(GRPC_PARENT);
    assertThat(restSpan.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(restSpan.getTraceState()).isEqualTo("vendor=1");
    assertThat(attribute(restSpan, "infera.model")).isEqualTo("simple_batched");
    assertThat(attribute(restSpan, "infera.model_version")).isEqualTo("1");
    assertThat(attribute(restSpan, "infera.protocol")).isEqualTo("http");
    assertThat(attribute(restSpan, "infera.request_id")).isEqualTo("rest-1");
    assertThat(attribute(restSpan, "http.response.status_code")).isEqualTo("200");
    assertThat(attribute(grpcSpan, "infera.protocol")).isEqualTo("grpc");
    assertThat(attribute(grpcSpan, "rpc.grpc.status_code")).isEqualTo("0");

    for (Span request : List.of(restSpan, grpcSpan)) {
      List<String> children =
          spans.stream()
              .filter(s -> s.getParentSpanId().equals(request.getSpanId()))
              .map(Span::getName)
              .sorted()
              .toList();
      assertThat(children).containsExactly("compute", "decode", "encode", "queue");
    }
    List<Span> batches = named(spans, "execute_batch");
    assertThat(batches).hasSize(1); // the preferred batch size 2 put both requests in one
    Span batch = batches.get(0);
    assertThat(attribute(batch, "infera.batch_size")).isEqualTo("2");
    assertThat(attribute(batch, "infera.model_version")).isEqualTo("1");
    assertThat(batch.getLinksList())
        .extracting(link -> hex(link.getSpanId()))
        .containsExactlyInAnyOrder(hex(restSpan.getSpanId()), hex(grpcSpan.getSpanId()));
    for (Span compute : named(spans, "compute")) {
      assertThat(compute.getLinksList())
          .extracting(link -> hex(link.getSpanId()))
          .containsExactly(hex(batch.getSpanId()));
    }
    assertThat(receiver.resources().get(0).getResource().getAttributesList())
        .extracting(kv -> kv.getKey() + "=" + kv.getValue().getStringValue())
        .contains("service.name=infera", "deployment.environment=test");
  }

  private static List<Span> children(List<Span> spans, Span parent, String name) {
    return spans.stream()
        .filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
        .filter(s -> s.getName().equals(name))
        .sorted(Comparator.comparing(s -> attribute(s, "infera.step.index")))
        .toList();
  }

  /**
   * The ensembles chain (simple twice) and guarded (simple_b, falling back to simple) of
   * EnsembleIT, with simple_b unloaded: each step's span hangs under the request span and holds its
   * model's queue and compute spans.
   */
  @Test
  void anEnsembleRequestExportsOneSpanPerStepUnderItsRequestSpan() throws Exception {
    Path root = Files.createTempDirectory("infera-tracing-ensembles");
    TestRepository.copyInto(TestRepository.examples().resolve("simple"), root.resolve("simple"));
    LifecycleServers.simpleCopy(root, "simple_b", "");
    for (String ensemble : List.of("chain", "guarded")) {
      TestRepository.copyInto(
          TestRepository.resource("it/ensembles/" + ensemble), root.resolve(ensemble));
      Files.createDirectories(root.resolve(ensemble).resolve("1"));
    }
    receiver = new OtlpReceiver();
    server =
        InferaServer.start(
            ServerOptions.onFreePorts(root)
                .withManager(
                    ManagerOptions.defaults()
                        .withControl(ControlOptions.explicit(List.of("chain", "guarded")))),
            ObservabilityOptions.NONE.withTracing(
                TraceConfig.parse(
                    List.of(
                        "level=TIMESTAMPS",
                        "rate=1",
                        "opentelemetry,url=" + receiver.url(),
                        "opentelemetry,bsp_schedule_delay=50"))));
    HttpResponse<String> unloaded =
        post("http://127.0.0.1:" + server.httpPort() + "/v2/repository/models/simple_b/unload", "");
    assertThat(unloaded.statusCode()).as(unloaded.body()).isEqualTo(200);

    String body = restBody("IN0", "IN1");
    HttpResponse<String> chain =
        rest("chain", "00-" + REST_TRACE + "-" + REST_PARENT + "-01", body);
    assertThat(chain.statusCode()).as(chain.body()).isEqualTo(200);
    HttpResponse<String> guarded =
        rest("guarded", "00-" + GRPC_TRACE + "-" + GRPC_PARENT + "-01", body);
    assertThat(guarded.statusCode()).as(guarded.body()).isEqualTo(200);
    assertThat(guarded.body()).contains("pipeline_fallbacks");

    List<Span> spans =
        receiver.await(
            got ->
                named(got, "infer").size() == 2
                    && named(got, "pipeline_step").size() == 3
                    && named(got, "compute").size() == 3);

    Span chainRequest = requestSpan(spans, REST_TRACE);
    assertThat(attribute(chainRequest, "infera.model")).isEqualTo("chain");
    List<Span> chainSteps = children(spans, chainRequest, "pipeline_step");
    assertThat(chainSteps).hasSize(2);
    assertThat(chainSteps)
        .extracting(s -> attribute(s, "infera.step.index"))
        .containsExactly("1", "2");
    assertThat(chainSteps)
        .extracting(s -> attribute(s, "infera.model_version"))
        .containsExactly("-1", "1");
    for (Span step : chainSteps) {
      assertThat(hex(step.getTraceId())).isEqualTo(REST_TRACE);
      assertThat(attribute(step, "infera.model")).isEqualTo("simple");
      assertThat(attribute(step, "infera.step.outcome")).isEqualTo("ok");
      assertThat(attribute(step, "infera.step.rows_sent")).isEqualTo("1");
      assertStepModelSpansUnder(spans, step, "simple");
    }

    Span guardedRequest = requestSpan(spans, GRPC_TRACE);
    List<Span> guardedSteps = children(spans, guardedRequest, "pipeline_step");
    assertThat(guardedSteps).hasSize(1);
    Span fallback = guardedSteps.get(0);
    assertThat(attribute(fallback, "infera.step.index")).isEqualTo("1");
    assertThat(attribute(fallback, "infera.model")).isEqualTo("simple_b");
    assertThat(attribute(fallback, "infera.step.outcome")).isEqualTo("fallback_model");
    assertThat(attribute(fallback, "infera.step.fallback_model")).isEqualTo("simple");
    assertThat(attribute(fallback, "infera.step.rows_sent")).isEqualTo("2"); // simple_b, simple
    assertStepModelSpansUnder(spans, fallback, "simple");
  }

  /** The step model's queue and compute spans hang under the step's span. */
  private static void assertStepModelSpansUnder(List<Span> spans, Span step, String model) {
    List<Span> under =
        spans.stream().filter(s -> s.getParentSpanId().equals(step.getSpanId())).toList();
    assertThat(under).extracting(Span::getName).containsExactlyInAnyOrder("queue", "compute");
    assertThat(under).extracting(s -> attribute(s, "infera.model")).containsOnly(model);
  }

  @Test
  void anUnreachableReceiverNeitherFailsNorHoldsUpInference() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    start(
        "level=TIMESTAMPS",
        "rate=1",
        "opentelemetry,url=http://127.0.0.1:" + closedPort + "/v1/traces",
        "opentelemetry,bsp_schedule_delay=10",
        "opentelemetry,bsp_max_queue_size=16",
        "opentelemetry,bsp_max_export_batch_size=4");

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 40; i++) { // 200 spans for a queue of 16: most are dropped
      statuses.add(rest("simple", "00-" + REST_TRACE + "-" + REST_PARENT + "-01").statusCode());
    }
    assertThat(statuses).containsOnly(200);
    assertThat(grpc("simple", "00-" + GRPC_TRACE + "-" + GRPC_PARENT + "-01").getOutputsCount())
        .isEqualTo(2);
  }

  @Test
  void traceSettingsChangeOverRestAndGrpcPerModelAndGlobally() throws Exception {
    start(
        "opentelemetry,url=" + (receiver = new OtlpReceiver()).url(),
        "opentelemetry,bsp_schedule_delay=50");
    String base = "http://127.0.0.1:" + server.httpPort();

    JsonNode global = JSON.readTree(get(base + "/v2/trace/setting").body());
    assertThat(global.path("trace_level").get(0).asText()).isEqualTo("OFF");
    assertThat(global.path("trace_rate").asText()).isEqualTo("1000");
    assertThat(global.path("trace_count").asText()).isEqualTo("-1");

    HttpResponse<String> changed =
        post(
            base + "/v2/models/simple/trace/setting",
            "{\"trace_level\":[\"TIMESTAMPS\"],\"trace_rate\":\"1\",\"trace_count\":2}");
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(JSON.readTree(changed.body()).path("trace_level").get(0).asText())
        .isEqualTo("TIMESTAMPS");
    assertThat(JSON.readTree(get(base + "/v2/trace/setting").body()).path("trace_level").get(0))
        .hasToString("\"OFF\"");

    for (int i = 0; i < 3; i++) { // trace_count 2: the third request is not traced
      assertThat(rest("simple", null).statusCode()).isEqualTo(200);
    }
    receiver.await(got -> named(got, "infer").size() == 2);
    TraceSettingResponse after =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .traceSetting(TraceSettingRequest.newBuilder().setModelName("simple").build());
    assertThat(after.getSettingsOrThrow("trace_count").getValueList()).containsExactly("0");

    TraceSettingResponse cleared =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .traceSetting(
                TraceSettingRequest.newBuilder()
                    .setModelName("simple")
                    .putSettings(
                        "trace_level", TraceSettingRequest.SettingValue.getDefaultInstance())
                    .putSettings(
                        "trace_rate", TraceSettingRequest.SettingValue.getDefaultInstance())
                    .putSettings(
                        "trace_count", TraceSettingRequest.SettingValue.getDefaultInstance())
                    .build());
    assertThat(cleared.getSettingsOrThrow("trace_level").getValueList()).containsExactly("OFF");
    assertThat(cleared.getSettingsOrThrow("trace_rate").getValueList()).containsExactly("1000");

    HttpResponse<String> tensors =
        post(base + "/v2/trace/setting", "{\"trace_level\":[\"TENSORS\"]}");
    assertThat(tensors.statusCode()).isEqualTo(400);
    assertThat(tensors.body()).contains("TENSORS").contains("TIMESTAMPS");
    HttpResponse<String> unknown = post(base + "/v2/models/nope/trace/setting", "{}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    HttpResponse<String> badRate = post(base + "/v2/trace/setting", "{\"trace_rate\":\"0\"}");
    assertThat(badRate.statusCode()).isEqualTo(400);
    assertThat(badRate.body()).contains("trace rate 0");
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
