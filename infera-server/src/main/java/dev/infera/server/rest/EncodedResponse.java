package dev.infera.server.rest;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import java.util.Arrays;

/**
 * An encoded inference response body: {@code jsonLength} bytes of JSON, followed by binary output
 * data when {@code jsonLength < length}. Only {@code bytes[0, length)} is meaningful.
 */
record EncodedResponse(byte[] bytes, int length, int jsonLength) {

  boolean hasBinary() {
    return jsonLength < length;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  /**
   * The HTTP response: {@code application/json} when the body is pure JSON; otherwise {@code
   * application/octet-stream} with the JSON length in {@code Inference-Header-Content-Length}.
   */
  HttpResponse toHttpResponse() {
    HttpData body = HttpData.wrap(bytes, 0, length);
    if (!hasBinary()) {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON, body);
    }
    ResponseHeaders headers =
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(MediaType.OCTET_STREAM)
            .set(BinaryFraming.HEADER, Integer.toString(jsonLength))
            .build();
    return HttpResponse.of(headers, body);
  }
}
