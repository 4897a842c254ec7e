package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.InferaServer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The protocol suite over REST with the binary tensor data extension for every input and output,
 * plus framing errors and JSON mixed with binary in one request.
 */
class RestBinaryProtocolIT extends ProtocolSuite {
  @Override
  protected ProtocolClient connect(InferaServer server) {
    return new RestClient(server.httpPort(), true);
  }

  private RestClient rest() {
    return (RestClient) client;
  }

  private static byte[] int32s(int count, int value) {
    ByteBuffer buffer = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      buffer.putInt(value + i);
    }
    return buffer.array();
  }

  private HttpResponse<byte[]> postBinary(String json, byte[] binary, int headerLength) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(json.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(binary);
    return rest()
        .post(
            RestClient.inferPath("simple", null),
            body.toByteArray(),
            Map.of("Inference-Header-Content-Length", Integer.toString(headerLength)));
  }

  @Test
  void jsonAndBinaryInputsMixInOneRequest() {
    String json =
        "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],"
            + "\"parameters\":{\"binary_data_size\":64}},"
            + "{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],"
            + "\"data\":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}],"
            + "\"outputs\":[{\"name\":\"OUTPUT0\",\"parameters\":{\"binary_data\":true}},"
            + "{\"name\":\"OUTPUT1\"}]}";

    HttpResponse<byte[]> response =
        postBinary(json, int32s(16, 0), json.getBytes(StandardCharsets.UTF_8).length);

    assertThat(response.statusCode()).isEqualTo(200);
    ProtocolClient.Reply reply = RestClient.reply(response);
    assertThat(TestTensors.numbers(reply.output("OUTPUT0"))).startsWith(1, 2, 3);
    assertThat(TestTensors.numbers(reply.output("OUTPUT1"))).startsWith(-1, 0, 1);
  }

  @Test
  void binarySizeBeyondTheBodyIsRejected() {
    String json =
        "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],"
            + "\"parameters\":{\"binary_data_size\":64}},"
            + "{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],"
            + "\"parameters\":{\"binary_data_size\":64}}]}";

    HttpResponse<byte[]> response =
        postBinary(json, int32s(20, 0), json.getBytes(StandardCharsets.UTF_8).length);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(response.body())).contains("INPUT1");
  }

  @Test
  void binarySizeNotMatchingTheShapeIsRejected() {
    String json =
        "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],"
            + "\"parameters\":{\"binary_data_size\":60}},"
            + "{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],"
            + "\"parameters\":{\"binary_data_size\":64}}]}";

    HttpResponse<byte[]> response =
        postBinary(json, int32s(31, 0), json.getBytes(StandardCharsets.UTF_8).length);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(response.body())).contains("INPUT0");
  }

  @Test
  void headerLengthBeyondTheBodyIsRejected() {
    String json = "{\"inputs\":[]}";

    HttpResponse<byte[]> response = postBinary(json, new byte[0], 4096);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(response.body()))
        .contains("Inference-Header-Content-Length");
  }
}
