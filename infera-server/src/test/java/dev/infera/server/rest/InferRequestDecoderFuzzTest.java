package dev.infera.server.rest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import dev.infera.spi.InferenceException;
import java.util.Optional;

/**
 * Fuzzes the REST JSON request decoder with arbitrary bodies: each either decodes into an inference
 * request or is refused with a client error ({@link FuzzVerdicts}); no other exception, no hang. A
 * plain test run replays the committed corpus ({@code InferRequestDecoderFuzzTestInputs}); {@code
 * JAZZER_FUZZ=1} fuzzes (see docs/security.md).
 */
class InferRequestDecoderFuzzTest {
  static final long MAX_TENSOR_ELEMENTS = 1 << 16;

  @FuzzTest(maxDuration = "60s")
  void decodeJson(byte[] body) {
    AggregatedHttpRequest request =
        AggregatedHttpRequest.of(HttpMethod.POST, "/v2/models/m/infer", MediaType.JSON, body);
    try {
      InferHttpService.decode(
          request, request.headers(), "m", Optional.empty(), MAX_TENSOR_ELEMENTS);
    } catch (InferenceException e) {
      FuzzVerdicts.requireClientError(e);
    }
  }
}
