package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.infera.spi.DataType;
import dev.infera.spi.HalfPrecision;
import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON {@code data} value (a scalar, or flat or nested arrays, row-major) straight into a
 * primitive buffer, checking each value against its type's range. Nesting is flattened; the element
 * count is checked against the shape afterwards, not the nesting.
 */
final class JsonTensorReader {
  private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);

  private final JsonParser parser;
  private final String label;
  private final DataType type;
  private final long maxElements;
  private final ElementBuffer fixed;
  private final List<byte[]> strings;
  private long count;

  private JsonTensorReader(
      JsonParser parser, String label, DataType type, long expectedElements, long maxElements) {
    this.parser = parser;
    this.label = label;
    this.type = type;
    this.maxElements =
        expectedElements >= 0 ? Math.min(expectedElements, maxElements) : maxElements;
    long guess = expectedElements >= 0 ? this.maxElements : 64;
    if (type.isFixedSize()) {
      this.fixed = new ElementBuffer(guess * type.byteSize());
      this.strings = null;
    } else {
      this.fixed = null;
      this.strings = new ArrayList<>((int) Math.min(guess, 1024));
    }
  }

  /**
   * Reads the value at the parser's current token, leaving the parser on its last token.
   *
   * @param label names the tensor in messages, such as {@code input 'x'}
   * @param expectedElements the element count the shape asks for, or -1 when not known yet
   * @param maxElements the most elements the request can hold, whatever the shape says
   */
  static JsonTensorData read(
      JsonParser parser, String label, DataType type, long expectedElements, long maxElements)
      throws IOException {
    JsonTensorReader reader =
        new JsonTensorReader(parser, label, type, expectedElements, maxElements);
    reader.readValue();
    return new JsonTensorData(
        type, reader.count, reader.fixed == null ? null : reader.fixed.written(), reader.strings);
  }

  private void readValue() throws IOException {
    JsonToken token = parser.currentToken();
    if (token != JsonToken.START_ARRAY) {
      readElement(token);
      return;
    }
    int depth = 0;
    while (true) {
      if (token == JsonToken.START_ARRAY) {
        depth++;
      } else if (token == JsonToken.END_ARRAY) {
        depth--;
        if (depth == 0) {
          return;
        }
      } else {
        readElement(token);
      }
      token = parser.nextToken();
    }
  }

  private void readElement(JsonToken token) throws IOException {
    if (count == maxElements) {
      throw fail("data holds more than the " + maxElements + " elements expected");
    }
    if (token == null || token.isStructStart() || token.isStructEnd()) {
      throw fail("data must hold " + expectedKind() + " or arrays of them (found " + token + ")");
    }
    switch (type) {
      case BOOL -> fixed.putByte(readBool(token));
      case UINT8, INT8 -> fixed.putByte((byte) readInteger(token));
      case UINT16, INT16 -> fixed.putShort((short) readInteger(token));
      case UINT32, INT32 -> fixed.putInt((int) readInteger(token));
      case UINT64, INT64 -> fixed.putLong(readInteger(token));
      case FP16 -> fixed.putShort(readHalf(token, false));
      case BF16 -> fixed.putShort(readHalf(token, true));
      case FP32 -> fixed.putFloat(readFloat(token));
      case FP64 -> fixed.putDouble(readDouble(token));
      case BYTES -> strings.add(readString(token));
    }
    count++;
  }

  private byte readBool(JsonToken token) {
    if (token == JsonToken.VALUE_TRUE) {
      return 1;
    }
    if (token == JsonToken.VALUE_FALSE) {
      return 0;
    }
    throw wrongKind();
  }

  private long readInteger(JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      throw fail("value " + parser.getText() + " is not an integer, as " + type + " needs");
    }
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw wrongKind();
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      BigInteger value = parser.getBigIntegerValue();
      if (type == DataType.UINT64 && value.signum() >= 0 && value.compareTo(UINT64_LIMIT) < 0) {
        return value.longValue();
      }
      throw outOfRange();
    }
    long value = parser.getLongValue();
    if (value < IntegerRanges.min(type) || value > IntegerRanges.max(type)) {
      throw outOfRange();
    }
    return value;
  }

  private float readFloat(JsonToken token) throws IOException {
    requireNumber(token);
    float value = parser.getFloatValue();
    if (Float.isInfinite(value) && !isInfinityLiteral()) {
      throw outOfRange();
    }
    return value;
  }

  private double readDouble(JsonToken token) throws IOException {
    requireNumber(token);
    double value = parser.getDoubleValue();
    if (Double.isInfinite(value) && !isInfinityLiteral()) {
      throw outOfRange();
    }
    return value;
  }

  private short readHalf(JsonToken token, boolean bfloat16) throws IOException {
    float value = readFloat(token);
    short bits = bfloat16 ? HalfPrecision.floatToBfloat16(value) : HalfPrecision.floatToHalf(value);
    float back = bfloat16 ? HalfPrecision.bfloat16ToFloat(bits) : HalfPrecision.halfToFloat(bits);
    if (Float.isInfinite(back) && !Float.isInfinite(value)) {
      throw outOfRange();
    }
    return bits;
  }

  private byte[] readString(JsonToken token) throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      throw wrongKind();
    }
    String text = parser.getText();
    if (hasLoneSurrogate(text)) {
      // String.getBytes would put '?' in its place, changing the client's data unseen.
      throw fail(
          "element "
              + count
              + " is not valid Unicode text: it holds a lone surrogate (an escape such as \\ud800"
              + " without its pair); send such bytes as binary data");
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private void requireNumber(JsonToken token) {
    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
      throw wrongKind();
    }
  }

  private boolean isInfinityLiteral() throws IOException {
    return parser.getText().endsWith("Infinity");
  }

  private String expectedKind() {
    return switch (type) {
      case BOOL -> "true/false values";
      case BYTES -> "strings";
      case FP16, FP32, FP64, BF16 -> "numbers";
      default -> "integers";
    };
  }

  private InferenceException wrongKind() {
    String found;
    try {
      found = parser.getText();
    } catch (IOException e) {
      found = String.valueOf(parser.currentToken());
    }
    return fail(
        "element " + count + " is " + found + "; " + type + " data must hold " + expectedKind());
  }

  private InferenceException outOfRange() throws IOException {
    return fail(
        "value "
            + parser.getText()
            + " at element "
            + count
            + " is out of range for "
            + type
            + IntegerRanges.describe(type));
  }

  private InferenceException fail(String problem) {
    return InferenceException.invalidArgument(label + ": " + problem);
  }
}
