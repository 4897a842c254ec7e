package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The one Jackson factory of the REST frontend, thread-safe and shared.
 *
 * <p>Like Triton, it reads and writes the non-standard tokens {@code NaN}, {@code Infinity} and
 * {@code -Infinity} as bare numbers, so that float tensors holding them round-trip; floats are
 * written in their shortest form that parses back to the same value.
 */
final class Json {
  /**
   * The deepest nesting of JSON arrays and objects a request may use, Triton's limit; deeper is a
   * 400. A request needs 3 levels around an input's data, so tensors of rank up to 97 can be sent
   * nested.
   */
  static final int MAX_NESTING_DEPTH = 100;

  static final JsonFactory FACTORY =
      new JsonFactoryBuilder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  // the request-size limit bounds strings (BYTES elements) already
                  .maxStringLength(Integer.MAX_VALUE)
                  .build())
          .build();

  /** Jackson's way of naming where a construct began: "[Source: …; line: 1, column: 12]". */
  private static final Pattern SOURCE_MARKER =
      Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");

  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Json() {}

  /**
   * A request body that must be a JSON object (the repository, jobs, traffic, trace, logging and
   * shared-memory APIs); an empty or blank body is an empty object.
   */
  static JsonNode parseObject(byte[] body) {
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (StreamConstraintsException e) {
      throw InferenceException.invalidArgument("request body: " + limitExceeded(e));
    } catch (JsonProcessingException e) {
      throw InferenceException.invalidArgument("request body is not valid JSON: " + problem(e));
    } catch (IOException e) {
      throw InferenceException.invalidArgument(
          "request body cannot be read (expected UTF-8 JSON): " + firstLine(e.getMessage()));
    }
    if (json == null || json.isMissingNode()) {
      return MAPPER.createObjectNode();
    }
    if (!json.isObject()) {
      throw InferenceException.invalidArgument("request body (expected a JSON object)");
    }
    return json;
  }

  /**
   * What a client reads of a parse error: the parser's first line, with where an unclosed array or
   * object began as "line 1, column 12" rather than Jackson's source marker.
   */
  static String problem(JsonProcessingException e) {
    return SOURCE_MARKER
        .matcher(firstLine(e.getOriginalMessage()))
        .replaceAll("line $1, column $2");
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unreadable JSON";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /**
   * What a client reads when its JSON breaks one of {@link #FACTORY}'s read limits: the limit in
   * the protocol's words, never the parser's names for it.
   */
  static String limitExceeded(StreamConstraintsException e) {
    String text = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (text.contains("nesting depth")) {
      return "JSON nesting depth exceeds the maximum allowed (" + MAX_NESTING_DEPTH + ")";
    }
    if (text.startsWith("Number value length")) {
      return "a JSON number has more digits than allowed";
    }
    if (text.startsWith("Name length")) {
      return "a JSON field name is longer than allowed";
    }
    return "JSON exceeds a size limit";
  }
}
