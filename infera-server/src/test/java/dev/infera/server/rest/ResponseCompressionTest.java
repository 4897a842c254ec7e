package dev.infera.server.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

class ResponseCompressionTest {

  @Test
  void theFirstAcceptedCodingWins() {
    assertThat(ResponseCompression.accepted("deflate, gzip")).contains(ResponseCompression.DEFLATE);
    assertThat(ResponseCompression.accepted("GZIP")).contains(ResponseCompression.GZIP);
    assertThat(ResponseCompression.accepted("br, gzip;q=0.5")).contains(ResponseCompression.GZIP);
  }

  @Test
  void codingsRefusedOrUnknownMeanNoCompression() {
    assertThat(ResponseCompression.accepted(null)).isEmpty();
    assertThat(ResponseCompression.accepted("identity")).isEmpty();
    assertThat(ResponseCompression.accepted("br, zstd")).isEmpty();
    assertThat(ResponseCompression.accepted("gzip;q=0, deflate;q=0.0")).isEmpty();
    assertThat(ResponseCompression.accepted("gzip;q=zero")).isEmpty();
    assertThat(ResponseCompression.accepted("gzip;q=0, deflate"))
        .contains(ResponseCompression.DEFLATE);
  }

  @Test
  void compressedBytesInflateBackToTheRange() throws IOException {
    byte[] body = "xx{\"outputs\":[]}yy".getBytes(StandardCharsets.UTF_8);

    byte[] gzip = ResponseCompression.GZIP.compress(body, body.length - 2);
    byte[] zlib = ResponseCompression.DEFLATE.compress(body, body.length - 2);

    String expected = "xx{\"outputs\":[]}";
    assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gzip)).readAllBytes()))
        .isEqualTo(expected);
    assertThat(new String(new InflaterInputStream(new ByteArrayInputStream(zlib)).readAllBytes()))
        .isEqualTo(expected);
  }
}
