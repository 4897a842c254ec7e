package dev.infera.server.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.RoutingContext;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/**
 * Which inference requests Armeria receives whole before the service runs: small bodies of declared
 * length over HTTP/1 only, so that every other body streams through the buffered-bytes cap as it
 * arrives.
 */
class InferExchangeTypeTest {
  private final InferHttpService service = new InferHttpService(null, 1 << 20, null, null);

  @Test
  void aSmallDeclaredBodyOverHttp1IsUnary() {
    assertThat(exchange(SessionProtocol.H1C, 798)).isEqualTo(ExchangeType.UNARY);
    assertThat(exchange(SessionProtocol.H1, InferHttpService.UNARY_MAX_BODY_BYTES))
        .isEqualTo(ExchangeType.UNARY);
  }

  @Test
  void aLargerBodyStreams() {
    assertThat(exchange(SessionProtocol.H1C, InferHttpService.UNARY_MAX_BODY_BYTES + 1))
        .isEqualTo(ExchangeType.BIDI_STREAMING);
  }

  @Test
  void aBodyOfUndeclaredLengthStreams() {
    assertThat(exchange(SessionProtocol.H1C, -1)).isEqualTo(ExchangeType.BIDI_STREAMING);
  }

  @Test
  void http2Streams() {
    assertThat(exchange(SessionProtocol.H2C, 798)).isEqualTo(ExchangeType.BIDI_STREAMING);
    assertThat(exchange(SessionProtocol.H2, 798)).isEqualTo(ExchangeType.BIDI_STREAMING);
  }

  private ExchangeType exchange(SessionProtocol protocol, long contentLength) {
    RequestHeaders headers =
        contentLength < 0
            ? RequestHeaders.of(HttpMethod.POST, "/v2/models/m/infer")
            : RequestHeaders.of(
                HttpMethod.POST,
                "/v2/models/m/infer",
                HttpHeaderNames.CONTENT_LENGTH,
                Long.toString(contentLength));
    return service.exchangeType(routing(protocol, headers));
  }

  /** A routing context answering the two questions the service asks; any other is a test bug. */
  private static RoutingContext routing(SessionProtocol protocol, RequestHeaders headers) {
    return (RoutingContext)
        Proxy.newProxyInstance(
            RoutingContext.class.getClassLoader(),
            new Class<?>[] {RoutingContext.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "sessionProtocol" -> protocol;
                  case "headers" -> headers;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
