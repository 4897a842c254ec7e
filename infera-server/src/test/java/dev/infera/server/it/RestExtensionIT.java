package dev.infera.server.it;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.server.InferaServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

/**
 * The extension suite over REST, plus the JSON shapes Triton's clients read, Triton's raw binary
 * request and compressed answers.
 */
class RestExtensionIT extends ExtensionSuite {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected ExtensionClient connect(InferaServer server) {
    return new RestExtensionClient(server.httpPort());
  }

  @Override
  protected ProtocolClient connectProtocol(InferaServer server) {
    return new RestClient(server.httpPort(), false);
  }

  @Override
  protected ExtensionClient.Code alreadyExists() {
    return ExtensionClient.Code.INVALID_ARGUMENT; // 400, as Triton's HTTP front end answers it
  }

  @Test
  void configIsTritonsJsonWithNumbersForDims() throws Exception {
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      JsonNode config = JSON.readTree(rest.get("/v2/models/simple/config").body());
      assertThat(config.get("max_batch_size").isIntegralNumber()).isTrue();
      JsonNode input = config.get("input").get(0);
      assertThat(input.get("data_type").asText()).isEqualTo("TYPE_INT32");
      assertThat(input.get("dims").get(0).isIntegralNumber()).isTrue();
      assertThat(input.get("dims").get(0).asLong()).isEqualTo(16);
      assertThat(input.get("format").asText()).isEqualTo("FORMAT_NONE");
      assertThat(config.get("instance_group").get(0).get("kind").asText()).isEqualTo("KIND_CPU");
    }
  }

  @Test
  void statisticsAreTritonsJson() throws Exception {
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      JsonNode stats = JSON.readTree(rest.get("/v2/models/simple/stats").body());
      JsonNode model = stats.get("model_stats").get(0);
      assertThat(model.get("inference_count").isIntegralNumber()).isTrue();
      assertThat(model.get("last_inference").isIntegralNumber()).isTrue();
      JsonNode success = model.get("inference_stats").get("success");
      assertThat(success.get("count").isIntegralNumber()).isTrue();
      assertThat(success.get("ns").isIntegralNumber()).isTrue();
      assertThat(model.get("batch_stats").isArray()).isTrue();
    }
  }

  private static final String RAW = "inference-header-content-length";

  /** The JSON header and the binary part of an answer to a binary request. */
  private static JsonNode header(HttpResponse<byte[]> response) throws IOException {
    int length = Integer.parseInt(response.headers().firstValue(RAW).orElseThrow());
    return JSON.readTree(Arrays.copyOf(response.body(), length));
  }

  private static ByteBuffer binaryPart(HttpResponse<byte[]> response) {
    int length = Integer.parseInt(response.headers().firstValue(RAW).orElseThrow());
    byte[] body = response.body();
    return ByteBuffer.wrap(body, length, body.length - length).slice().order(LITTLE_ENDIAN);
  }

  @Test
  void rawBinaryRequestIsTheModelsOneInputAnsweredInBinary() throws Exception {
    ByteBuffer features = ByteBuffer.allocate(64 * 4).order(LITTLE_ENDIAN);
    for (int i = 0; i < 64; i++) {
      features.putFloat(i / 64f);
    }
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      HttpResponse<byte[]> response =
          rest.post(
              "/v2/models/tabular_mlp/infer",
              features.array(),
              Map.of(RAW, "0", "Content-Type", "application/octet-stream"));

      assertThat(response.statusCode()).as(new String(response.body(), UTF_8)).isEqualTo(200);
      JsonNode output = header(response).get("outputs").get(0);
      assertThat(output.get("name").asText()).isEqualTo("probabilities");
      assertThat(output.get("shape").toString()).isEqualTo("[1,2]");
      assertThat(output.get("parameters").get("binary_data_size").asLong()).isEqualTo(8);
      ByteBuffer probabilities = binaryPart(response);
      assertThat(probabilities.getFloat(0) + probabilities.getFloat(4))
          .isCloseTo(1f, within(1e-4f));
    }
  }

  @Test
  void classificationAttachesTheModelsLabels() throws Exception {
    String features = "[" + "0.5,".repeat(63) + "0.5]";
    byte[] request =
        ("{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,64],"
                + "\"data\":"
                + features
                + "}],\"outputs\":[{\"name\":\"probabilities\","
                + "\"parameters\":{\"classification\":2}}]}")
            .getBytes(UTF_8);
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      HttpResponse<byte[]> response =
          rest.post("/v2/models/tabular_labeled/infer", request, Map.of());

      assertThat(response.statusCode()).as(new String(response.body(), UTF_8)).isEqualTo(200);
      JsonNode data = JSON.readTree(response.body()).get("outputs").get(0).get("data");
      assertThat(data).hasSize(2);
      for (JsonNode entry : data) {
        String[] parts = entry.asText().split(":");
        assertThat(parts).hasSize(3);
        assertThat(parts[2]).isEqualTo(parts[1].equals("0") ? "legitimate" : "fraud");
      }
    }
  }

  @Test
  void classificationOfAModelWithoutBatchDimensionRanksAllElementsAsTritonDoes() throws Exception {
    String input =
        "{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[4,4],\"data\":"
            + Arrays.toString(new int[] {3, 1, 4, 15, 5, 9, 2, 6, 16, 13, 10, 8, 12, 7, 11, 14})
            + "}";
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      JsonNode plain =
          JSON.readTree(
                  rest.post(
                          "/v2/models/fixed_shape/infer",
                          ("{\"inputs\":[" + input + "]}").getBytes(UTF_8),
                          Map.of())
                      .body())
              .get("outputs")
              .get(0);
      HttpResponse<byte[]> response =
          rest.post(
              "/v2/models/fixed_shape/infer",
              ("{\"inputs\":["
                      + input
                      + "],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"classification\":3}}]}")
                  .getBytes(UTF_8),
              Map.of());

      assertThat(response.statusCode()).as(new String(response.body(), UTF_8)).isEqualTo(200);
      JsonNode classified = JSON.readTree(response.body()).get("outputs").get(0);
      assertThat(classified.get("shape").toString()).isEqualTo("[3]");
      assertThat(classified.get("datatype").asText()).isEqualTo("BYTES");
      // Triton's answer: the three highest of all 16 elements, indexed row-major, as "%f:index".
      float[] values = new float[16];
      for (int i = 0; i < 16; i++) {
        values[i] = plain.get("data").get(i).floatValue();
      }
      Integer[] order = new Integer[16];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, (a, b) -> Float.compare(values[b], values[a]));
      for (int k = 0; k < 3; k++) {
        String[] entry = classified.get("data").get(k).asText().split(":");
        assertThat(entry[1]).isEqualTo(String.valueOf(order[k]));
        assertThat(entry[0]).matches("-?[0-9]+\\.[0-9]{6}");
        assertThat(Double.parseDouble(entry[0])).isCloseTo(values[order[k]], within(1e-6));
      }
    }
  }

  @Test
  void rawBinaryRequestForABytesInputIsItsOneElement() throws Exception {
    byte[] text = "raw élément".getBytes(UTF_8);
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      HttpResponse<byte[]> response =
          rest.post("/v2/models/string_identity/infer", text, Map.of(RAW, "0"));

      assertThat(response.statusCode()).as(new String(response.body(), UTF_8)).isEqualTo(200);
      assertThat(header(response).get("outputs").get(0).get("shape").toString()).isEqualTo("[1,1]");
      ByteBuffer element = binaryPart(response);
      assertThat(element.getInt()).isEqualTo(text.length);
      byte[] echoed = new byte[text.length];
      element.get(echoed);
      assertThat(echoed).isEqualTo(text);
    }
  }

  @Test
  void rawBinaryRequestsTheModelCannotTakeAreBadRequests() throws Exception {
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      HttpResponse<byte[]> twoInputs =
          rest.post("/v2/models/simple/infer", new byte[128], Map.of(RAW, "0"));
      HttpResponse<byte[]> wrongSize =
          rest.post("/v2/models/tabular_mlp/infer", new byte[10], Map.of(RAW, "0"));
      HttpResponse<byte[]> unknownModel =
          rest.post("/v2/models/no_such_model/infer", new byte[4], Map.of(RAW, "0"));

      assertThat(twoInputs.statusCode()).isEqualTo(400);
      assertThat(RestClient.errorMessage(twoInputs.body()))
          .isEqualTo(
              "model 'simple': a raw binary request (Inference-Header-Content-Length: 0) carries"
                  + " one input, but the model has 2");
      assertThat(wrongSize.statusCode()).isEqualTo(400);
      assertThat(RestClient.errorMessage(wrongSize.body()))
          .isEqualTo(
              "input 'features': the raw binary request holds 10 bytes for FP32 shape [1, 64]"
                  + " (expected 256 bytes)");
      assertThat(unknownModel.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void answersAreCompressedAsAcceptEncodingAsksButErrorsNever() throws Exception {
    byte[] request = simpleJsonRequest();
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      HttpResponse<byte[]> deflated =
          rest.post("/v2/models/simple/infer", request, Map.of("Accept-Encoding", "deflate"));
      HttpResponse<byte[]> gzipped =
          rest.post("/v2/models/simple/infer", request, Map.of("Accept-Encoding", "gzip"));
      HttpResponse<byte[]> plain = rest.post("/v2/models/simple/infer", request, Map.of());

      assertThat(deflated.statusCode()).isEqualTo(200);
      assertThat(deflated.headers().firstValue("content-encoding")).hasValue("deflate");
      assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
      assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
      byte[] expected = plain.body();
      assertThat(new InflaterInputStream(new ByteArrayInputStream(deflated.body())).readAllBytes())
          .isEqualTo(expected);
      assertThat(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes())
          .isEqualTo(expected);
      assertThat(JSON.readTree(expected).get("outputs")).hasSize(2);
      HttpResponse<byte[]> error =
          rest.post(
              "/v2/models/no_such_model/infer",
              request,
              Map.of("Accept-Encoding", "gzip, deflate"));
      assertThat(error.statusCode()).isEqualTo(404);
      assertThat(error.headers().firstValue("content-encoding")).isEmpty();
      assertThat(RestClient.errorMessage(error.body())).contains("no_such_model");
    }
  }

  @Test
  void aDeflatedRequestWithADeflatedAnswerRoundTrips() throws Exception {
    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(deflated)) {
      out.write(simpleJsonRequest());
    }
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      HttpResponse<byte[]> response =
          rest.post(
              "/v2/models/simple/infer",
              deflated.toByteArray(),
              Map.of("Content-Encoding", "deflate", "Accept-Encoding", "deflate"));
      HttpResponse<byte[]> corrupt =
          rest.post(
              "/v2/models/simple/infer",
              "not deflate data".getBytes(UTF_8),
              Map.of("Content-Encoding", "deflate"));

      assertThat(response.statusCode()).isEqualTo(200);
      byte[] json =
          new InflaterInputStream(new ByteArrayInputStream(response.body())).readAllBytes();
      assertThat(JSON.readTree(json).get("outputs").get(0).get("name").asText())
          .startsWith("OUTPUT");
      assertThat(corrupt.statusCode()).isEqualTo(400);
    }
  }

  private static byte[] simpleJsonRequest() {
    String sixteen = "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]";
    return ("{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],"
            + "\"data\":"
            + sixteen
            + "},{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
            + sixteen
            + "}]}")
        .getBytes(UTF_8);
  }
}
