package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a protocol {@code parameters} object: names to booleans, integers ({@code Long}), other
 * numbers ({@code Double}) or strings. Nested objects, arrays and null are rejected.
 */
final class JsonParameters {
  private JsonParameters() {}

  /**
   * Reads the object at the parser's current token.
   *
   * @param owner names what the parameters belong to in messages, such as {@code input 'x'}
   */
  static Map<String, Object> read(JsonParser parser, String owner) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw InferenceException.invalidArgument(owner + ": 'parameters' must be an object");
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken token = parser.nextToken();
      Object value =
          switch (token) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> integer(parser, owner, key);
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            default ->
                throw InferenceException.invalidArgument(
                    owner + ": parameter '" + key + "' must be a boolean, number or string");
          };
      parameters.put(key, value);
    }
    return parameters;
  }

  private static Long integer(JsonParser parser, String owner, String key) throws IOException {
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw InferenceException.invalidArgument(
          owner + ": parameter '" + key + "' is out of the 64-bit integer range");
    }
    return parser.getLongValue();
  }

  /** The boolean parameter {@code key}, or {@code fallback} when absent. */
  static boolean flag(Map<String, Object> parameters, String key, String owner, boolean fallback) {
    Object value = parameters.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw InferenceException.invalidArgument(
        owner + ": parameter '" + key + "' must be true or false");
  }

  /** The non-negative integer parameter {@code key}, or -1 when absent. */
  static long count(Map<String, Object> parameters, String key, String owner) {
    Object value = parameters.get(key);
    if (value == null) {
      return -1;
    }
    if (value instanceof Long n && n >= 0) {
      return n;
    }
    throw InferenceException.invalidArgument(
        owner + ": parameter '" + key + "' must be a non-negative integer");
  }
}
