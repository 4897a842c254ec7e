package dev.infera.core.repository;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict UTF-8 decoding of the text files in a model folder ({@code config.pbtxt}, label files),
 * which Triton reads as UTF-8. A file that is not valid UTF-8 is a problem of that file, described
 * with the line of its first bad byte, never an I/O failure of the repository.
 */
public final class Utf8Text {
  private Utf8Text() {}

  /**
   * The text of a file's bytes.
   *
   * @return the text, or empty when the bytes are not valid UTF-8
   */
  public static Optional<String> decode(byte[] bytes) {
    return invalidAt(bytes) < 0
        ? Optional.of(new String(bytes, StandardCharsets.UTF_8))
        : Optional.empty();
  }

  /**
   * Why the bytes are not text, naming the file: {@code <file> is not valid UTF-8 (line N)}.
   *
   * @throws IllegalArgumentException when the bytes are valid UTF-8
   */
  public static String problem(String file, byte[] bytes) {
    int at = invalidAt(bytes);
    if (at < 0) {
      throw new IllegalArgumentException(file + " is valid UTF-8");
    }
    int line = 1;
    for (int i = 0; i < at; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return file + " is not valid UTF-8 (line " + line + ")";
  }

  /** The offset of the first malformed or unmappable byte sequence, or -1 when there is none. */
  private static int invalidAt(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length));
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      return in.position();
    }
    return -1;
  }
}
