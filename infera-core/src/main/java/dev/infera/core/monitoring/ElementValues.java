package dev.infera.core.monitoring;

import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;

/** Reads a fixed-size tensor's elements as numbers, whatever their type. */
final class ElementValues {
  private ElementValues() {}

  /** Whether {@link #get} reads this type (16-bit floats and BYTES are not read as numbers). */
  static boolean numeric(DataType type) {
    return switch (type) {
      case BOOL, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FP32, FP64 -> true;
      default -> false;
    };
  }

  /** The element at a flat index, as a float (wide integers lose precision, as sketches do). */
  static float get(Tensor tensor, long index) {
    ByteBuffer data = tensor.data();
    int i = Math.toIntExact(index);
    return switch (tensor.dataType()) {
      case BOOL, INT8 -> data.get(i);
      case UINT8 -> data.get(i) & 0xff;
      case INT16 -> data.getShort(i * 2);
      case UINT16 -> data.getShort(i * 2) & 0xffff;
      case INT32 -> data.getInt(i * 4);
      case UINT32 -> data.getInt(i * 4) & 0xffffffffL;
      case INT64 -> data.getLong(i * 8);
      case UINT64 -> unsigned(data.getLong(i * 8));
      case FP32 -> data.getFloat(i * 4);
      case FP64 -> (float) data.getDouble(i * 8);
      default -> throw new IllegalArgumentException("not read as numbers: " + tensor.dataType());
    };
  }

  private static float unsigned(long value) {
    return value >= 0 ? value : (float) (value >>> 1) * 2f;
  }
}
