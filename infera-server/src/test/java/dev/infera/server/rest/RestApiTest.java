package dev.infera.server.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import dev.infera.core.InferenceResponse;
import dev.infera.spi.InferenceException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP layer: routes, statuses and error bodies, over an Armeria server on a free port. */
class RestApiTest {
  private static final long LIMIT = 1024 * 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final FakeInferenceService engine = new FakeInferenceService();
  private static Server server;
  private static WebClient client;

  @BeforeAll
  static void start() {
    var sb = Server.builder().http(0);
    new RestApi(engine, LIMIT).mount(sb);
    server = sb.build();
    server.start().join();
    client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort());
  }

  @AfterAll
  static void stop() {
    server.stop().join();
  }

  @BeforeEach
  void resetEngine() {
    engine.live = true;
    engine.ready = true;
    engine.modelReady = true;
    engine.infer = FakeInferenceService::echo;
  }

  @Test
  void liveIs200WithTheProtocolsBody() {
    AggregatedHttpResponse response = get("/v2/health/live");

    assertThat(response.status().code()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo(MediaType.JSON);
    assertThat(response.contentUtf8()).isEqualTo("{\"live\":true}");
  }

  @Test
  void readyIs200WithTheProtocolsBody() {
    AggregatedHttpResponse response = get("/v2/health/ready");

    assertThat(response.status().code()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo(MediaType.JSON);
    assertThat(response.contentUtf8()).isEqualTo("{\"ready\":true}");
  }

  @Test
  void notReadyServerIs503WithJsonError() throws Exception {
    engine.ready = false;

    AggregatedHttpResponse response = get("/v2/health/ready");

    assertThat(response.status().code()).isEqualTo(503);
    assertThat(error(response)).isEqualTo("server is not ready");
  }

  @Test
  void serverMetadataListsExtensions() throws Exception {
    JsonNode json = MAPPER.readTree(get("/v2").contentUtf8());

    assertThat(json.toString())
        .isEqualTo(
            "{\"name\":\"infera\",\"version\":\"0.1.0\",\"extensions\":[\"binary_tensor_data\"]}");
  }

  @Test
  void modelMetadataDescribesTensors() throws Exception {
    JsonNode json = MAPPER.readTree(get("/v2/models/echo/versions/1").contentUtf8());

    assertThat(json.toString())
        .isEqualTo(
            "{\"name\":\"echo\",\"versions\":[\"1\"],\"platform\":\"onnxruntime_onnx\","
                + "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,4]}],"
                + "\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]}");
  }

  @Test
  void unknownModelMetadataIs404() throws Exception {
    AggregatedHttpResponse response = get("/v2/models/nope");

    assertThat(response.status().code()).isEqualTo(404);
    assertThat(error(response)).isEqualTo("model 'nope' is not known");
  }

  @Test
  void readyModelIs200WithTheProtocolsBody() {
    AggregatedHttpResponse response = get("/v2/models/echo/versions/1/ready");

    assertThat(response.status().code()).isEqualTo(200);
    assertThat(response.contentUtf8()).isEqualTo("{\"name\":\"echo\",\"ready\":true}");
  }

  @Test
  void unknownModelReadyIs404() {
    assertThat(get("/v2/models/nope/versions/3/ready").status().code()).isEqualTo(404);
  }

  @Test
  void loadingModelReadyIs503() throws Exception {
    engine.modelReady = false;

    AggregatedHttpResponse response = get("/v2/models/echo/ready");

    assertThat(response.status().code()).isEqualTo(503);
    assertThat(error(response)).isEqualTo("model 'echo' is not ready");
  }

  @Test
  void infersWithJson() throws Exception {
    AggregatedHttpResponse response =
        post(
            "/v2/models/echo/versions/1/infer",
            "{\"id\":\"r7\",\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP32\","
                + "\"data\":[[0.5,-1.25]]}]}");

    assertThat(response.status().code()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo(MediaType.JSON);
    assertThat(response.contentUtf8())
        .isEqualTo(
            "{\"model_name\":\"echo\",\"model_version\":\"1\",\"id\":\"r7\",\"outputs\":[{\"name\":"
                + "\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[0.5,-1.25]}]}");
    assertThat(engine.lastRequest.modelVersion()).contains("1");
  }

  @Test
  void infersWithBinaryDataBothWays() throws Exception {
    byte[] json =
        ("{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"INT16\","
                + "\"parameters\":{\"binary_data_size\":4}}],"
                + "\"parameters\":{\"binary_data_output\":true}}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] body = BinaryFramingTest.concat(json, new byte[] {1, 0, (byte) 0xff, (byte) 0xff});
    RequestHeaders headers =
        RequestHeaders.builder(HttpMethod.POST, "/v2/models/echo/infer")
            .contentType(MediaType.OCTET_STREAM)
            .set("Inference-Header-Content-Length", Integer.toString(json.length))
            .build();

    AggregatedHttpResponse response = client.execute(headers, body).aggregate().join();

    int jsonLength = Integer.parseInt(response.headers().get("inference-header-content-length"));
    byte[] content = response.content().array();
    assertThat(response.contentType()).isEqualTo(MediaType.OCTET_STREAM);
    assertThat(
            MAPPER
                .readTree(content, 0, jsonLength)
                .at("/outputs/0/parameters/binary_data_size")
                .asInt())
        .isEqualTo(4);
    assertThat(Arrays.copyOfRange(content, jsonLength, content.length))
        .containsExactly(1, 0, 0xff, 0xff);
  }

  @Test
  void largeRequestIsDecodedOffTheEventLoop() throws Exception {
    int count = 100_000; // about 400 KB of JSON: above the inline limit
    StringBuilder data = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      data.append(i == 0 ? "" : ",").append(i % 1000);
    }
    String json = RequestJson.oneInput("INT32", "[" + count + "]", data + "]");

    AggregatedHttpResponse response = post("/v2/models/echo/infer", json);

    assertThat(response.status().code()).isEqualTo(200);
    assertThat(MAPPER.readTree(response.contentUtf8()).at("/outputs/0/data").get(99_999).asInt())
        .isEqualTo(999);
  }

  @Test
  void malformedJsonIs400NamingWhere() throws Exception {
    AggregatedHttpResponse response = post("/v2/models/echo/infer", "{\"inputs\": [}");

    assertThat(response.status().code()).isEqualTo(400);
    assertThat(error(response)).startsWith("malformed JSON at line 1, column 13");
  }

  @Test
  void valueOutOfRangeIs400NamingTheTensor() throws Exception {
    AggregatedHttpResponse response =
        post("/v2/models/echo/infer", RequestJson.oneInput("UINT8", "[1]", "[300]"));

    assertThat(response.status().code()).isEqualTo(400);
    assertThat(error(response)).startsWith("input 'x': value 300");
  }

  @Test
  void badInferenceHeaderIs400() throws Exception {
    RequestHeaders headers =
        RequestHeaders.builder(HttpMethod.POST, "/v2/models/echo/infer")
            .set("Inference-Header-Content-Length", "-5")
            .build();

    AggregatedHttpResponse response = client.execute(headers, "{}").aggregate().join();

    assertThat(response.status().code()).isEqualTo(400);
    assertThat(error(response)).contains("Inference-Header-Content-Length");
  }

  @Test
  void engineErrorUsesTheMappedStatus() throws Exception {
    engine.infer =
        request -> CompletableFuture.failedFuture(InferenceException.unavailable("queue is full"));

    AggregatedHttpResponse response = post("/v2/models/echo/infer", validRequest());

    assertThat(response.status().code()).isEqualTo(503);
    assertThat(error(response)).isEqualTo("queue is full");
  }

  @Test
  void unexpectedFailureIs500WithoutDetails() throws Exception {
    engine.infer =
        request -> {
          throw new IllegalStateException("secret internals");
        };

    AggregatedHttpResponse response = post("/v2/models/echo/infer", validRequest());

    assertThat(response.status().code()).isEqualTo(500);
    assertThat(error(response)).isEqualTo(ErrorResponses.INTERNAL_MESSAGE);
  }

  @Test
  void unknownRouteIs404Json() throws Exception {
    AggregatedHttpResponse response = get("/v2/nothing/here");

    assertThat(response.status().code()).isEqualTo(404);
    assertThat(error(response)).isEqualTo("no such endpoint: GET /v2/nothing/here");
  }

  @Test
  void wrongMethodIs405Json() throws Exception {
    AggregatedHttpResponse response = get("/v2/models/echo/infer");

    assertThat(response.status().code()).isEqualTo(405);
    assertThat(error(response)).isEqualTo("method GET is not allowed on /v2/models/echo/infer");
  }

  @Test
  void bodyOverTheLimitIs413Json() throws Exception {
    AggregatedHttpResponse response = post("/v2/models/echo/infer", "x".repeat((int) LIMIT + 1));

    assertThat(response.status().code()).isEqualTo(413);
    assertThat(error(response)).startsWith("request body is larger than the limit");
  }

  @Test
  void clientGoingAwayCancelsTheInference() throws Exception {
    CompletableFuture<InferenceResponse> pending = new CompletableFuture<>();
    engine.infer = request -> pending;
    WebClient impatient =
        WebClient.builder("http://127.0.0.1:" + server.activeLocalPort())
            .responseTimeout(Duration.ofMillis(200))
            .build();

    impatient
        .execute(RequestHeaders.of(HttpMethod.POST, "/v2/models/echo/infer"), validRequest())
        .aggregate()
        .handle((response, failure) -> null)
        .join();

    CompletableFuture<Void> settled = pending.handle((r, e) -> null);
    settled.get(10, TimeUnit.SECONDS);
    assertThat(pending).isCancelled();
  }

  private static String validRequest() {
    return RequestJson.oneInput("FP32", "[1]", "[1.0]");
  }

  private static AggregatedHttpResponse get(String path) {
    return client.get(path).aggregate().join();
  }

  private static AggregatedHttpResponse post(String path, String body) {
    return client
        .execute(
            RequestHeaders.builder(HttpMethod.POST, path).contentType(MediaType.JSON).build(),
            HttpData.ofUtf8(body))
        .aggregate()
        .join();
  }

  private static String error(AggregatedHttpResponse response) throws Exception {
    assertThat(response.contentType()).isEqualTo(MediaType.JSON);
    JsonNode json = MAPPER.readTree(response.contentUtf8());
    assertThat(json.size()).isEqualTo(1);
    return json.get("error").asText();
  }
}
