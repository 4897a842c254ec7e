package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.security.AsteriskOptions;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code OPTIONS *} lists only the methods Infera's routes serve, over HTTP/1.1 and HTTP/2 (without
 * {@link AsteriskOptions} Armeria lists TRACE and CONNECT too), and TRACE itself is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsteriskOptionsIT {
  private InferaServer server;

  @BeforeAll
  void start() {
    server = InferaServer.start(ServerOptions.onFreePorts(TestRepository.standard()));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private String http1(String request) throws IOException {
    return RawHttp1.exchange(server.httpPort(), request);
  }

  private static List<String> allowOf(String http1Reply) {
    return http1Reply
        .lines()
        .filter(line -> line.toLowerCase().startsWith("allow:"))
        .map(line -> line.substring("allow:".length()).trim())
        .flatMap(value -> Arrays.stream(value.split(",")))
        .map(String::trim)
        .toList();
  }

  @Test
  void http1ListsTheServedMethodsOnly() throws IOException {
    String reply = http1("OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    assertThat(reply).startsWith("HTTP/1.1 200");
    assertThat(allowOf(reply))
        .containsExactly("OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE")
        .doesNotContain("TRACE", "CONNECT");
  }

  @Test
  void http2ListsTheServedMethodsOnly() {
    WebClient client = WebClient.of("h2c://127.0.0.1:" + server.httpPort());
    AggregatedHttpResponse reply =
        client.execute(RequestHeaders.of(HttpMethod.OPTIONS, "*")).aggregate().join();

    assertThat(reply.status().code()).isEqualTo(200);
    assertThat(reply.headers().get("allow")).isEqualTo(AsteriskOptions.ALLOWED);
  }

  @Test
  void traceIsNotServed() throws IOException {
    String reply =
        http1("TRACE /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    assertThat(reply).startsWith("HTTP/1.1 405");
    assertThat(reply).doesNotContain("TRACE /v2/health/live");
  }
}
