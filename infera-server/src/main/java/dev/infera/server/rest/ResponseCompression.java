package dev.infera.server.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a successful inference answer is compressed, as Triton does it: {@code gzip} or {@code
 * deflate} (zlib) when the request's {@code Accept-Encoding} names one (the first listed without
 * {@code q=0} wins), whatever the answer's size; identity otherwise. Error answers are never
 * compressed, as Triton's are not (its clients read them without decompressing). Stateless.
 */
enum ResponseCompression {
  GZIP("gzip"),
  DEFLATE("deflate");

  private final String coding;

  ResponseCompression(String coding) {
    this.coding = coding;
  }

  /** The value of the answer's {@code Content-Encoding}. */
  String coding() {
    return coding;
  }

  /** The compression an {@code Accept-Encoding} header asks for; empty for none (or null). */
  static Optional<ResponseCompression> accepted(String acceptEncoding) {
    if (acceptEncoding == null) {
      return Optional.empty();
    }
    for (String item : acceptEncoding.split(",")) {
      String[] parts = item.split(";");
      String name = parts[0].strip().toLowerCase(Locale.ROOT);
      if (refused(parts)) {
        continue;
      }
      for (ResponseCompression compression : values()) {
        if (compression.coding.equals(name)) {
          return Optional.of(compression);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean refused(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("q=")) {
        try {
          return Double.parseDouble(parameter.substring(2)) <= 0;
        } catch (NumberFormatException e) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code bytes[0, length)} compressed. */
  byte[] compress(byte[] bytes, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
    try (OutputStream compressing =
        this == GZIP ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
      compressing.write(bytes, 0, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: does not happen
    }
    return out.toByteArray();
  }
}
