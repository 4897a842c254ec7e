package dev.infera.server.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.infera.server.messages.ClientMessages;
import dev.infera.server.rest.HttpStatusMapping;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The {@code {"error": "..."}} responses of the REST guards, with the status from {@link
 * HttpStatusMapping}. A 401 carries {@code WWW-Authenticate: Bearer}, as RFC 6750 asks.
 */
final class HttpErrors {
  private static final JsonFactory JSON = new JsonFactory();

  private HttpErrors() {}

  static HttpResponse of(InferenceException e) {
    return of(
        HttpStatusMapping.statusOf(e.code()), e.code(), ClientMessages.forClient(e.getMessage()));
  }

  static HttpResponse of(HttpStatus status, ErrorCode code, String message) {
    ResponseHeadersBuilder headers =
        ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8);
    if (code == ErrorCode.UNAUTHENTICATED) {
      headers.add(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"infera\"");
    }
    return HttpResponse.of(headers.build(), HttpData.wrap(body(message)));
  }

  static byte[] body(String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 + message.length());
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("error", message);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
