package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.InferaServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol suite over REST with JSON tensors, plus what only REST JSON can get wrong. */
class RestJsonProtocolIT extends ProtocolSuite {
  @Override
  protected ProtocolClient connect(InferaServer server) {
    return new RestClient(server.httpPort(), false);
  }

  private RestClient rest() {
    return (RestClient) client;
  }

  private HttpResponse<byte[]> postJson(String model, String body) {
    return rest()
        .post(
            RestClient.inferPath(model, null),
            body.getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json"));
  }

  private static String simpleRequest(String input0Data) {
    return "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
        + input0Data
        + "},{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
        + "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]}";
  }

  @Test
  void nestedDataIsAccepted() {
    String nested = "[[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]]";

    HttpResponse<byte[]> response = postJson("simple", simpleRequest(nested));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .contains("\"data\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]");
  }

  @Test
  void malformedJsonIsRejected() {
    HttpResponse<byte[]> response = postJson("simple", "{\"inputs\": [ {\"name\": ");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(response.body())).containsIgnoringCase("json");
  }

  @Test
  void dataCountNotMatchingShapeIsRejected() {
    HttpResponse<byte[]> response = postJson("simple", simpleRequest("[0,1,2]"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(response.body())).contains("INPUT0").contains("16");
  }

  @Test
  void wrongValueTypeIsRejected() {
    HttpResponse<byte[]> response =
        postJson("simple", simpleRequest("[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,\"x\"]"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(response.body())).contains("INPUT0");
  }

  @Test
  void unknownDatatypeIsRejected() {
    HttpResponse<byte[]> response =
        postJson(
            "simple",
            simpleRequest("[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]")
                .replaceFirst("INT32", "INT33"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(response.body())).contains("INT33");
  }

  @Test
  void unknownModelGetsJsonError() {
    HttpResponse<byte[]> response = rest().get("/v2/models/no_such_model");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(RestClient.errorMessage(response.body())).contains("no_such_model");
  }

  @Test
  void metadataOfAVersionNamesItAsTheIndexDoes() {
    HttpResponse<byte[]> response = rest().get("/v2/models/simple/versions/01");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(RestClient.readJson(response.body()).get("versions").toString())
        .isEqualTo("[\"1\"]");
  }

  @Test
  void serverMetadataNamesServerAndExtensions() {
    HttpResponse<byte[]> response = rest().get("/v2");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(RestClient.readJson(response.body()).get("name").asText()).isEqualTo("infera");
    assertThat(RestClient.readJson(response.body()).get("extensions").toString())
        .contains("binary_tensor_data");
  }
}
