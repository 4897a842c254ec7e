package dev.infera.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.bench.input.InputTensor;
import dev.infera.spi.DataType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestInferClientTest {
  private static final List<InputTensor> INPUTS =
      List.of(new InputTensor("x", DataType.INT32, new long[] {1, 2}, new byte[8]));

  private static String request(boolean binary) {
    try (RestInferClient client =
        new RestInferClient("127.0.0.1:9", "m", binary, Duration.ofSeconds(1), 1)) {
      return new String(client.encode(INPUTS), StandardCharsets.ISO_8859_1);
    }
  }

  private static int contentLength(String request) {
    String head = request.substring(0, request.indexOf("\r\n\r\n"));
    return Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
  }

  @Test
  void aJsonRequestPostsToTheModelsInferPathWithItsBodyLength() {
    String request = request(false);

    assertThat(request).startsWith("POST /v2/models/m/infer HTTP/1.1\r\nHost: 127.0.0.1:9\r\n");
    assertThat(request).contains("Content-Type: application/json\r\n");
    String body = request.substring(request.indexOf("\r\n\r\n") + 4);
    assertThat(contentLength(request)).isEqualTo(body.length());
    assertThat(body).contains("\"data\":[0,0]");
  }

  @Test
  void aBinaryRequestGivesTheJsonHeaderLengthAndAppendsTheRawBytes() {
    String request = request(true);

    String body = request.substring(request.indexOf("\r\n\r\n") + 4);
    int headerLength =
        Integer.parseInt(
            request.replaceAll("(?s).*Inference-Header-Content-Length: (\\d+).*", "$1"));
    assertThat(contentLength(request)).isEqualTo(body.length());
    assertThat(body.length()).isEqualTo(headerLength + 8);
    assertThat(body.substring(0, headerLength)).endsWith("}").contains("\"binary_data_size\":8");
  }

  @Test
  void aServerThatDoesNotAnswerIsNamedInWords() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    try (RestInferClient client =
        new RestInferClient("127.0.0.1:" + closed, "m", false, Duration.ofSeconds(5), 1)) {
      assertThat(
              org.assertj.core.api.Assertions.catchThrowableOfType(
                  IllegalStateException.class, client::metadata))
          .hasMessage(
              "model 'm': GET /v2/models/m failed: nothing answers at 127.0.0.1:"
                  + closed
                  + " (is the server running, and is this its REST port?)");
    }
  }

  /**
   * Against an Armeria server on a loopback port standing in for Infera, which this module does not
   * depend on: it refuses every request the way Infera refuses one (HTTP 400 and an "error").
   */
  @Test
  void theDetailOfARefusedRequestIsTheServersMessageForTheSameBody() throws Exception {
    java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.linecorp.armeria.server.Server refusing =
        com.linecorp.armeria.server.Server.builder()
            .http(new java.net.InetSocketAddress("127.0.0.1", 0))
            .service(
                "/v2/models/m/infer",
                (ctx, req) ->
                    com.linecorp.armeria.common.HttpResponse.of(
                        req.aggregate()
                            .thenApply(
                                body -> {
                                  received.add(
                                      req.headers().contentType() + " " + body.contentUtf8());
                                  return com.linecorp.armeria.common.HttpResponse.of(
                                      com.linecorp.armeria.common.HttpStatus.BAD_REQUEST,
                                      com.linecorp.armeria.common.MediaType.JSON,
                                      "{\"error\":\"batch size 1000 (expected 1 to 256)\"}");
                                })))
            .build();
    refusing.start().join();
    try (RestInferClient client =
        new RestInferClient(
            "127.0.0.1:" + refusing.activeLocalPort(), "m", false, Duration.ofSeconds(5), 1)) {
      client.prepare(INPUTS);

      assertThat(client.send().join()).isEqualTo("http 400");
      assertThat(client.failureDetail()).isEqualTo("batch size 1000 (expected 1 to 256)");
      assertThat(received).hasSize(2).allSatisfy(r -> assertThat(r).contains("\"data\":[0,0]"));
      assertThat(received.get(1)).startsWith("application/json");
    } finally {
      refusing.stop().join();
    }
  }
}
