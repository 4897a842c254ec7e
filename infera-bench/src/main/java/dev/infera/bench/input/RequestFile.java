package dev.infera.bench.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.spi.DataType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the inputs of a KServe v2 JSON request body ({@code {"inputs":[{"name","shape",
 * "datatype","data"}]}}), so one recorded request can be replayed over any protocol. {@code data}
 * may be flat or nested; its element count must match the shape.
 */
public final class RequestFile {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RequestFile() {}

  /**
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static List<InputTensor> read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException("--input-data '" + file + "' does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("--input-data '" + file + "': " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--input-data '" + file + "': " + e.getMessage());
    }
  }

  /** Parses a request body's text. */
  public static List<InputTensor> parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    JsonNode inputs = root == null ? null : root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw new IllegalArgumentException("no 'inputs' array (expected a KServe v2 request body)");
    }
    List<InputTensor> tensors = new ArrayList<>();
    for (JsonNode input : inputs) {
      tensors.add(tensor(input));
    }
    return tensors;
  }

  private static InputTensor tensor(JsonNode input) {
    String name = input.path("name").asText(null);
    if (name == null) {
      throw new IllegalArgumentException("an input has no 'name'");
    }
    DataType type = TensorMeta.dataType(name, input.path("datatype").asText(null));
    JsonNode shapeNode = input.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw new IllegalArgumentException("input '" + name + "' has no 'shape' array");
    }
    long[] shape = new long[shapeNode.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong(-1);
      if (shape[i] < 0) {
        throw new IllegalArgumentException(
            "input '" + name + "': shape " + shapeNode + " (expected non-negative integers)");
      }
      count *= shape[i];
    }
    List<JsonNode> values = new ArrayList<>();
    flatten(input.get("data"), values);
    if (values.size() != count) {
      throw new IllegalArgumentException(
          "input '"
              + name
              + "': "
              + values.size()
              + " data elements for shape "
              + Arrays.toString(shape)
              + " (expected "
              + count
              + ")");
    }
    return new InputTensor(name, type, shape, encode(name, type, values));
  }

  private static void flatten(JsonNode node, List<JsonNode> into) {
    if (node == null) {
      return;
    }
    if (node.isArray()) {
      for (JsonNode child : node) {
        flatten(child, into);
      }
    } else {
      into.add(node);
    }
  }

  private static byte[] encode(String name, DataType type, List<JsonNode> values) {
    if (type == DataType.BYTES) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (JsonNode value : values) {
        byte[] bytes = value.asText().getBytes(StandardCharsets.UTF_8);
        out.writeBytes(
            ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
        out.writeBytes(bytes);
      }
      return out.toByteArray();
    }
    ByteBuffer buffer =
        ByteBuffer.allocate(values.size() * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode value : values) {
      if (type == DataType.BOOL ? !value.isBoolean() : !value.isNumber()) {
        throw new IllegalArgumentException(
            "input '"
                + name
                + "': element "
                + value
                + " (expected "
                + (type == DataType.BOOL ? "true or false" : "a number")
                + ")");
      }
      switch (type) {
        case BOOL -> buffer.put((byte) (value.asBoolean() ? 1 : 0));
        case UINT8, INT8 -> buffer.put((byte) value.asLong());
        case UINT16, INT16 -> buffer.putShort((short) value.asLong());
        case UINT32, INT32 -> buffer.putInt((int) value.asLong());
        case UINT64, INT64 -> buffer.putLong(value.asLong());
        case FP16 -> buffer.putShort(RandomInputs.halfOf(value.floatValue()));
        case BF16 -> buffer.putShort((short) (Float.floatToIntBits(value.floatValue()) >>> 16));
        case FP32 -> buffer.putFloat(value.floatValue());
        case FP64 -> buffer.putDouble(value.doubleValue());
        default -> throw new IllegalStateException("unhandled type " + type);
      }
    }
    return buffer.array();
  }
}
