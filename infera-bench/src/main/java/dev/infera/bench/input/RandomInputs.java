package dev.infera.bench.input;

import dev.infera.spi.DataType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Makes random inputs from a model's input metadata, the way perf_analyzer does without input data.
 * A first dimension of -1 becomes the batch size; any other dynamic dimension needs a {@link
 * ShapeOverride}. Values: floats uniform in [0, 1); integers uniform in [0, 64), small enough to
 * index any embedding table; booleans fair coins; BYTES 8 random lower-case letters.
 *
 * <p>Deterministic for a given seed.
 */
public final class RandomInputs {
  static final int INTEGER_BOUND = 64;
  static final int STRING_LENGTH = 8;

  private final Random random;

  public RandomInputs(long seed) {
    this.random = new Random(seed);
  }

  /**
   * One request's inputs.
   *
   * @throws IllegalArgumentException naming the input when a shape cannot be resolved or a shape
   *     override is unknown or contradicts the metadata
   */
  public List<InputTensor> generate(
      List<TensorMeta> inputs, int batchSize, List<ShapeOverride> overrides) {
    Map<String, ShapeOverride> byName = new HashMap<>();
    for (ShapeOverride override : overrides) {
      byName.put(override.name(), override);
    }
    List<InputTensor> tensors = new ArrayList<>();
    for (TensorMeta input : inputs) {
      long[] shape = resolveShape(input, batchSize, byName.remove(input.name()));
      tensors.add(new InputTensor(input.name(), input.type(), shape, values(input.type(), shape)));
    }
    if (!byName.isEmpty()) {
      throw new IllegalArgumentException(
          "--shape names unknown inputs "
              + byName.keySet()
              + " (the model's inputs: "
              + inputs.stream().map(TensorMeta::name).toList()
              + ")");
    }
    return tensors;
  }

  /** The concrete shape of one input for the given batch size and optional override. */
  static long[] resolveShape(TensorMeta input, int batchSize, ShapeOverride override) {
    long[] declared = input.shape();
    if (!input.batched() && batchSize != 1) {
      throw new IllegalArgumentException(
          "input '"
              + input.name()
              + "' has no batch dimension (shape "
              + Arrays.toString(declared)
              + "); use --batch-size 1");
    }
    long[] shape = declared.clone();
    if (override != null) {
      long[] dims = override.dims();
      if (input.batched() && dims.length == declared.length - 1) {
        System.arraycopy(dims, 0, shape, 1, dims.length);
      } else if (dims.length == declared.length) {
        shape = dims;
      } else {
        throw new IllegalArgumentException(
            "--shape for input '"
                + input.name()
                + "' has "
                + dims.length
                + " dimensions (expected "
                + declared.length
                + (input.batched() ? ", or " + (declared.length - 1) + " without the batch" : "")
                + "; the model declares "
                + Arrays.toString(declared)
                + ")");
      }
    }
    if (input.batched()) {
      shape[0] = batchSize;
    }
    for (int i = 0; i < shape.length; i++) {
      if (declared[i] != -1 && shape[i] != declared[i]) {
        throw new IllegalArgumentException(
            "--shape for input '"
                + input.name()
                + "': dimension "
                + i
                + " is "
                + shape[i]
                + " (the model fixes it at "
                + declared[i]
                + ")");
      }
      if (shape[i] < 0) {
        throw new IllegalArgumentException(
            "input '"
                + input.name()
                + "' has dynamic dimension "
                + i
                + " in "
                + Arrays.toString(declared)
                + "; give its shape with --shape "
                + input.name()
                + ":d1,d2,...");
      }
    }
    return shape;
  }

  private byte[] values(DataType type, long[] shape) {
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    if (type == DataType.BYTES) {
      return strings(Math.toIntExact(count));
    }
    ByteBuffer buffer =
        ByteBuffer.allocate(Math.toIntExact(count * type.byteSize()))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < count; i++) {
      switch (type) {
        case BOOL -> buffer.put((byte) (random.nextBoolean() ? 1 : 0));
        case UINT8, INT8 -> buffer.put((byte) random.nextInt(INTEGER_BOUND));
        case UINT16, INT16 -> buffer.putShort((short) random.nextInt(INTEGER_BOUND));
        case UINT32, INT32 -> buffer.putInt(random.nextInt(INTEGER_BOUND));
        case UINT64, INT64 -> buffer.putLong(random.nextInt(INTEGER_BOUND));
        case FP16 -> buffer.putShort(halfOf(random.nextFloat()));
        case BF16 -> buffer.putShort((short) (Float.floatToIntBits(random.nextFloat()) >>> 16));
        case FP32 -> buffer.putFloat(random.nextFloat());
        case FP64 -> buffer.putDouble(random.nextDouble());
        default -> throw new IllegalStateException("unhandled type " + type);
      }
    }
    return buffer.array();
  }

  private byte[] strings(int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(count * (4 + STRING_LENGTH));
    byte[] length =
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(STRING_LENGTH).array();
    for (int i = 0; i < count; i++) {
      out.writeBytes(length);
      char[] chars = new char[STRING_LENGTH];
      for (int c = 0; c < STRING_LENGTH; c++) {
        chars[c] = (char) ('a' + random.nextInt(26));
      }
      out.writeBytes(new String(chars).getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  /** IEEE half precision of a float, mantissa truncated; overflow saturates to infinity. */
  static short halfOf(float value) {
    int bits = Float.floatToIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    int mantissa = (bits >>> 13) & 0x3ff;
    if (Float.isNaN(value)) {
      return (short) (sign | 0x7e00);
    }
    if (exponent <= 0) {
      return (short) sign;
    }
    if (exponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    return (short) (sign | (exponent << 10) | mantissa);
  }
}
