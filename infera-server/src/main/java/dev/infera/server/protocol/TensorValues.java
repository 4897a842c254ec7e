package dev.infera.server.protocol;

import dev.infera.spi.DataType;
import dev.infera.spi.HalfPrecision;
import java.nio.ByteBuffer;

/** Reads one element of a fixed-size tensor's little-endian buffer by index. */
final class TensorValues {
  private TensorValues() {}

  static double asDouble(ByteBuffer data, DataType type, long index) {
    int i = Math.toIntExact(index);
    return switch (type) {
      case BOOL, UINT8 -> data.get(i) & 0xff;
      case INT8 -> data.get(i);
      case UINT16 -> data.getShort(i * 2) & 0xffff;
      case INT16 -> data.getShort(i * 2);
      case UINT32 -> data.getInt(i * 4) & 0xffff_ffffL;
      case INT32 -> data.getInt(i * 4);
      case UINT64 -> unsignedToDouble(data.getLong(i * 8));
      case INT64 -> data.getLong(i * 8);
      case FP16 -> HalfPrecision.halfToFloat(data.getShort(i * 2));
      case BF16 -> HalfPrecision.bfloat16ToFloat(data.getShort(i * 2));
      case FP32 -> data.getFloat(i * 4);
      case FP64 -> data.getDouble(i * 8);
      case BYTES -> throw new IllegalArgumentException("BYTES has no numeric value");
    };
  }

  /** The element as the protocol's JSON would print it. */
  static String asText(ByteBuffer data, DataType type, long index) {
    int i = Math.toIntExact(index);
    return switch (type) {
      case FP16, BF16, FP32 -> Float.toString((float) asDouble(data, type, index));
      case FP64 -> Double.toString(data.getDouble(i * 8));
      case UINT64 -> Long.toUnsignedString(data.getLong(i * 8));
      case INT64 -> Long.toString(data.getLong(i * 8));
      default -> Long.toString((long) asDouble(data, type, index));
    };
  }

  private static double unsignedToDouble(long value) {
    double high = (double) (value >>> 1) * 2.0;
    return value >= 0 ? value : high + (value & 1);
  }
}
