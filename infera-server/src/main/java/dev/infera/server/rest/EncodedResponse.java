package dev.infera.server.rest;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import java.util.Arrays;
import java.util.Optional;

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
    return toHttpResponse(Optional.empty());
  }

  /**
   * The HTTP response, compressed when {@code compression} is given (the JSON length stays that of
   * the uncompressed body, as Triton's clients read it after decompressing).
   */
  HttpResponse toHttpResponse(Optional<ResponseCompression> compression) {
    ResponseHeadersBuilder headers =
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(hasBinary() ? MediaType.OCTET_STREAM : MediaType.JSON);
    if (hasBinary()) {
      headers.set(BinaryFraming.HEADER, Integer.toString(jsonLength));
    }
    if (compression.isEmpty()) {
      return HttpResponse.of(headers.build(), HttpData.wrap(bytes, 0, length));
    }
    headers.set(HttpHeaderNames.CONTENT_ENCODING, compression.get().coding());
    return HttpResponse.of(
        headers.build(), HttpData.wrap(compression.get().compress(bytes, length)));
  }
}
