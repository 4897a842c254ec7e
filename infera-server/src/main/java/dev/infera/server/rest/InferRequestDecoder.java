package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.infera.server.protocol.OutputRequest;
import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the JSON of an inference request with Jackson's streaming parser: {@code id}, {@code
 * parameters}, {@code inputs} and {@code outputs}. Unknown fields are skipped, as other servers of
 * the protocol do. Input data goes straight into primitive buffers (see {@link JsonInputReader}).
 * Stateless and thread-safe.
 */
final class InferRequestDecoder {
  private InferRequestDecoder() {}

  /** Decodes {@code length} bytes of JSON starting at {@code offset}, with no tensor limit. */
  static DecodedRequest decode(byte[] body, int offset, int length) {
    return decode(body, offset, length, Long.MAX_VALUE);
  }

  /**
   * Decodes {@code length} bytes of JSON starting at {@code offset}.
   *
   * @param maxTensorElements the most elements an input's shape may hold; more is INVALID_ARGUMENT
   */
  static DecodedRequest decode(byte[] body, int offset, int length, long maxTensorElements) {
    if (length == 0) {
      throw InferenceException.invalidArgument("request body is empty; expected a JSON object");
    }
    // Each JSON element takes at least two characters ("1,"), which bounds what "data" can hold.
    long maxElements = length / 2 + 1;
    try (JsonParser parser = Json.FACTORY.createParser(body, offset, length)) {
      DecodedRequest request = readRequest(parser, maxElements, maxTensorElements);
      if (parser.nextToken() != null) {
        throw InferenceException.invalidArgument(
            "malformed JSON at "
                + where(parser.currentLocation())
                + ": content after the request object");
      }
      return request;
    } catch (StreamReadException e) {
      throw InferenceException.invalidArgument(
          "malformed JSON at " + where(e.getLocation()) + ": " + Json.problem(e));
    } catch (StreamConstraintsException e) {
      throw InferenceException.invalidArgument(
          Json.limitExceeded(e)
              + (e.getLocation() == null ? "" : " (at " + where(e.getLocation()) + ")"));
    } catch (IOException e) {
      // The body is in memory: any other failure is its content, such as bytes that Jackson's
      // encoding detection takes for UTF-16 or UTF-32 and that are not valid in it.
      throw InferenceException.invalidArgument(
          "unreadable JSON (expected UTF-8): " + Json.firstLine(e.getMessage()));
    }
  }

  private static DecodedRequest readRequest(
      JsonParser parser, long maxElements, long maxTensorElements) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw InferenceException.invalidArgument("request body must be a JSON object");
    }
    Optional<String> id = Optional.empty();
    Map<String, Object> parameters = Map.of();
    List<DecodedInput> inputs = null;
    List<OutputRequest> outputs = List.of();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "id" -> id = Optional.of(readString(parser, "request", "id"));
        case "parameters" -> parameters = JsonParameters.read(parser, "request");
        case "inputs" -> inputs = readInputs(parser, maxElements, maxTensorElements);
        case "outputs" -> outputs = readOutputs(parser);
        default -> parser.skipChildren();
      }
    }
    if (inputs == null) {
      throw InferenceException.invalidArgument("request: 'inputs' is missing");
    }
    return new DecodedRequest(id, parameters, inputs, outputs);
  }

  private static List<DecodedInput> readInputs(
      JsonParser parser, long maxElements, long maxTensorElements) throws IOException {
    requireArray(parser, "inputs");
    List<DecodedInput> inputs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      DecodedInput input =
          JsonInputReader.read(parser, inputs.size(), maxElements, maxTensorElements);
      if (!names.add(input.name())) {
        throw InferenceException.invalidArgument("input '" + input.name() + "' appears twice");
      }
      inputs.add(input);
    }
    return inputs;
  }

  private static List<OutputRequest> readOutputs(JsonParser parser) throws IOException {
    requireArray(parser, "outputs");
    List<OutputRequest> outputs = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      String label = "outputs[" + outputs.size() + "]";
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw InferenceException.invalidArgument(label + " must be an object");
      }
      String name = null;
      Map<String, Object> parameters = Map.of();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "name" -> name = readString(parser, label, "name");
          case "parameters" -> parameters = JsonParameters.read(parser, label);
          default -> parser.skipChildren();
        }
      }
      if (name == null) {
        throw InferenceException.invalidArgument(label + ": 'name' is missing");
      }
      outputs.add(new OutputRequest(name, parameters));
    }
    return outputs;
  }

  static String readString(JsonParser parser, String owner, String field) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw InferenceException.invalidArgument(owner + ": '" + field + "' must be a string");
    }
    return parser.getText();
  }

  private static void requireArray(JsonParser parser, String field) {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw InferenceException.invalidArgument("request: '" + field + "' must be an array");
    }
  }

  private static String where(JsonLocation location) {
    if (location == null) {
      return "an unknown position";
    }
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
