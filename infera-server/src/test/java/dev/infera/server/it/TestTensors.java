package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side tensor conversions, written independently of the server's codecs so that the tests
 * check them: JSON sample tensors to {@link Tensor}s and back to plain values, and comparison with
 * the tolerance a model's meta.json gives.
 */
final class TestTensors {
  private TestTensors() {}

  /** A tensor from a KServe v2 JSON tensor object (flat {@code data}). */
  static Tensor fromJson(JsonNode node) {
    String name = node.get("name").asText();
    DataType type = DataType.fromProtocolName(node.get("datatype").asText()).orElseThrow();
    long[] shape = shape(node.get("shape"));
    JsonNode data = node.get("data");
    if (type == DataType.BYTES) {
      List<byte[]> elements = new ArrayList<>();
      data.forEach(v -> elements.add(v.asText().getBytes(StandardCharsets.UTF_8)));
      return Tensor.ofBytes(name, shape, elements);
    }
    ByteBuffer buffer =
        ByteBuffer.allocate(data.size() * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode value : data) {
      switch (type) {
        case BOOL -> buffer.put((byte) (value.asBoolean() ? 1 : 0));
        case INT8, UINT8 -> buffer.put((byte) value.asLong());
        case INT16, UINT16 -> buffer.putShort((short) value.asLong());
        case INT32, UINT32 -> buffer.putInt((int) value.asLong());
        case INT64 -> buffer.putLong(value.asLong());
        case UINT64 -> buffer.putLong(value.bigIntegerValue().longValue());
        case FP32 -> buffer.putFloat((float) value.asDouble());
        case FP64 -> buffer.putDouble(value.asDouble());
        default -> throw new IllegalArgumentException("no JSON sample of " + type);
      }
    }
    buffer.flip();
    return Tensor.of(name, type, shape, buffer);
  }

  static long[] shape(JsonNode node) {
    long[] shape = new long[node.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = node.get(i).asLong();
    }
    return shape;
  }

  /** An FP32 tensor of the given shape. */
  static Tensor fp32(String name, long[] shape, float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      buffer.putFloat(value);
    }
    buffer.flip();
    return Tensor.of(name, DataType.FP32, shape, buffer);
  }

  /** An INT32 tensor of the given shape. */
  static Tensor int32(String name, long[] shape, int... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int value : values) {
      buffer.putInt(value);
    }
    buffer.flip();
    return Tensor.of(name, DataType.INT32, shape, buffer);
  }

  /** The elements as doubles (numeric types) for comparison. */
  static double[] numbers(Tensor tensor) {
    ByteBuffer data = tensor.data();
    double[] values = new double[(int) tensor.elementCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] =
          switch (tensor.dataType()) {
            case BOOL, INT8 -> data.get();
            case UINT8 -> data.get() & 0xff;
            case INT16 -> data.getShort();
            case UINT16 -> data.getShort() & 0xffff;
            case INT32 -> data.getInt();
            case UINT32 -> data.getInt() & 0xffffffffL;
            case INT64, UINT64 -> data.getLong();
            case FP32 -> data.getFloat();
            case FP64 -> data.getDouble();
            default -> throw new IllegalArgumentException("not numeric: " + tensor.dataType());
          };
    }
    return values;
  }

  /** Asserts name, type, shape and values, numbers within |got - want| <= atol + rtol * |want|. */
  static void assertMatches(Tensor actual, Tensor expected, double atol, double rtol) {
    assertThat(actual.name()).isEqualTo(expected.name());
    assertThat(actual.dataType())
        .as("datatype of %s", expected.name())
        .isEqualTo(expected.dataType());
    assertThat(actual.shape()).as("shape of %s", expected.name()).isEqualTo(expected.shape());
    if (expected.dataType() == DataType.BYTES) {
      List<String> got =
          actual.elements().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
      List<String> want =
          expected.elements().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
      assertThat(got).as("values of %s", expected.name()).isEqualTo(want);
      return;
    }
    double[] got = numbers(actual);
    double[] want = numbers(expected);
    for (int i = 0; i < want.length; i++) {
      double allowed = atol + rtol * Math.abs(want[i]);
      assertThat(Math.abs(got[i] - want[i]))
          .as("%s[%d]: got %s, expected %s", expected.name(), i, got[i], want[i])
          .isLessThanOrEqualTo(allowed);
    }
  }
}
