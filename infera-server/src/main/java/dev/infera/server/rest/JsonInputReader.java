package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.infera.core.SharedMemoryPlacement;
import dev.infera.server.protocol.DataTypes;
import dev.infera.server.protocol.RequestParameters;
import dev.infera.server.protocol.TensorShapes;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads one element of a request's {@code inputs}: {@code name}, {@code datatype}, {@code shape},
 * {@code parameters} and {@code data}, in any order. When {@code data} comes before {@code
 * datatype} (unusual; clients send it last) its tokens are buffered and read once the type is
 * known.
 */
final class JsonInputReader {
  static final String BINARY_DATA_SIZE = "binary_data_size";

  private String name;
  private DataType type;
  private long[] shape;
  private Map<String, Object> parameters = Map.of();
  private JsonTensorData data;
  private TokenBuffer deferredData;
  private final String position;
  private final long maxElements;
  private final TensorShapes shapes;

  private JsonInputReader(int index, long maxElements, long maxTensorElements) {
    this.position = "inputs[" + index + "]";
    this.maxElements = maxElements;
    this.shapes = new TensorShapes(maxTensorElements);
  }

  /**
   * Reads the object at the parser's current token.
   *
   * @param maxElements the most elements the request's JSON can hold
   * @param maxTensorElements the most elements the input's shape may hold (a configured limit)
   */
  static DecodedInput read(JsonParser parser, int index, long maxElements, long maxTensorElements)
      throws IOException {
    return new JsonInputReader(index, maxElements, maxTensorElements).readObject(parser);
  }

  private DecodedInput readObject(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw InferenceException.invalidArgument(position + " must be an object");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "name" -> name = InferRequestDecoder.readString(parser, position, "name");
        case "datatype" -> type = readType(parser);
        case "shape" -> shape = readShape(parser);
        case "parameters" -> parameters = JsonParameters.read(parser, label());
        case "data" -> readData(parser);
        default -> parser.skipChildren();
      }
    }
    return finish();
  }

  private String label() {
    return name != null ? "input '" + name + "'" : position;
  }

  private DataType readType(JsonParser parser) throws IOException {
    String text = InferRequestDecoder.readString(parser, label(), "datatype");
    return DataTypes.parse(label(), text);
  }

  private long[] readShape(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw badShape();
    }
    long[] dims = new long[8];
    int rank = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
          || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          || parser.getLongValue() < 0) {
        throw badShape();
      }
      if (rank == dims.length) {
        dims = Arrays.copyOf(dims, rank * 2);
      }
      dims[rank++] = parser.getLongValue();
    }
    return Arrays.copyOf(dims, rank);
  }

  private InferenceException badShape() {
    return InferenceException.invalidArgument(
        label() + ": 'shape' must be an array of non-negative integers");
  }

  private void readData(JsonParser parser) throws IOException {
    if (type == null) {
      deferredData = new TokenBuffer(parser, null);
      deferredData.copyCurrentStructure(parser);
      return;
    }
    data = JsonTensorReader.read(parser, label(), type, expectedElements(), maxElements);
  }

  private long expectedElements() {
    if (shape == null) {
      return -1;
    }
    long expected = elementCount(shape);
    if (expected > maxElements) {
      throw InferenceException.invalidArgument(
          label()
              + ": shape "
              + Arrays.toString(shape)
              + " needs "
              + expected
              + " elements, more than the request's JSON can hold");
    }
    return expected;
  }

  private long elementCount(long[] dims) {
    return shapes.elementCount(label(), dims);
  }

  private DecodedInput finish() throws IOException {
    if (name == null) {
      throw InferenceException.invalidArgument(position + ": 'name' is missing");
    }
    if (type == null) {
      throw InferenceException.invalidArgument(label() + ": 'datatype' is missing");
    }
    if (shape == null) {
      throw InferenceException.invalidArgument(label() + ": 'shape' is missing");
    }
    long binarySize = JsonParameters.count(parameters, BINARY_DATA_SIZE, label());
    boolean hasJsonData = data != null || deferredData != null;
    SharedMemoryPlacement placement = RequestParameters.sharedMemory(label(), parameters);
    if (placement != null) {
      if (hasJsonData || binarySize >= 0) {
        throw InferenceException.invalidArgument(
            label() + ": has a shared memory region and data (expected one or the other)");
      }
      elementCount(shape);
      return new DecodedInput(name, type, shape, null, -1, placement);
    }
    if (binarySize >= 0) {
      if (hasJsonData) {
        throw InferenceException.invalidArgument(
            label() + ": has both 'data' and parameter '" + BINARY_DATA_SIZE + "'");
      }
      elementCount(shape);
      return new DecodedInput(name, type, shape, null, binarySize);
    }
    if (!hasJsonData) {
      throw InferenceException.invalidArgument(
          label() + ": 'data' is missing (and no parameter '" + BINARY_DATA_SIZE + "')");
    }
    if (deferredData != null) {
      try (JsonParser replay = deferredData.asParser()) {
        replay.nextToken();
        data = JsonTensorReader.read(replay, label(), type, expectedElements(), maxElements);
      }
    } else {
      expectedElements(); // the shape's checks, where 'data' came before 'shape'
    }
    return new DecodedInput(name, type, shape, data.toTensor(name, shape), -1);
  }
}
