package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request-smuggling shapes (RFC 9112 §6.3) over raw sockets: Content-Length beside chunked
 * Transfer-Encoding, codings after chunked and conflicting Content-Lengths are refused with 400 and
 * the connection is closed, so the bytes after them never run as a second request. (An unknown
 * coding alone beside Content-Length, such as {@code xchunked}, is still framed by Content-Length:
 * Netty's decoder does not refuse it; docs/security.md says so.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http1StrictnessIT {
  private static final String SMUGGLED = "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  private InferaServer server;

  @BeforeAll
  void start() {
    server = InferaServer.start(ServerOptions.onFreePorts(TestRepository.standard()));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static String post(String framingHeaders, String body) {
    return "POST /v2/models/simple/infer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\n"
        + framingHeaders
        + "\r\n"
        + body
        + SMUGGLED;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked, identity\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n",
        "Content-Length: 5, 6\r\n",
        "Content-Length: 5\r\nTransfer-Encoding: xchunked\r\n",
        "Transfer-Encoding: xchunked\r\n"
      })
  void smugglingShapesAreRefusedAndTheConnectionClosed(String framing) throws IOException {
    String reply = RawHttp1.exchange(server.httpPort(), post(framing, "0\r\n\r\n"));

    assertThat(reply).as(framing).startsWith("HTTP/1.1 400");
    assertThat(reply).as(framing).contains("the request's message framing is invalid");
    assertThat(reply.split("HTTP/1\\.1 ", -1)).as("one response only: " + reply).hasSize(2);
  }
}
