package dev.infera.server.rest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.infera.spi.InferenceException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fuzzes the binary tensor data extension: a body of JSON followed by raw tensor data, split where
 * the {@code Inference-Header-Content-Length} header says. The input's first two bytes (unsigned,
 * little-endian) are that header's value, 0xFFFF meaning no header; the rest is the body. Each
 * input decodes or is refused with a client error ({@link FuzzVerdicts}).
 */
class BinaryFramingFuzzTest {
  private static final int NO_HEADER = 0xFFFF;

  @FuzzTest(maxDuration = "60s")
  void decodeBinaryRequest(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int headerValue = (input[0] & 0xff) | (input[1] & 0xff) << 8;
    String header = headerValue == NO_HEADER ? null : Integer.toString(headerValue);
    byte[] body = Arrays.copyOfRange(input, 2, input.length);
    AggregatedHttpRequest request =
        AggregatedHttpRequest.of(
            HttpMethod.POST, "/v2/models/m/infer", MediaType.OCTET_STREAM, body);
    try {
      RequestHeaders headers =
          header == null
              ? request.headers()
              : request.headers().toBuilder().set(BinaryFraming.HEADER, header).build();
      InferHttpService.decode(
          request, headers, "m", Optional.of("1"), InferRequestDecoderFuzzTest.MAX_TENSOR_ELEMENTS);
    } catch (InferenceException e) {
      FuzzVerdicts.requireClientError(e);
    }
  }
}
