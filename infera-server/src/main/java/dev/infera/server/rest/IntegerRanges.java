package dev.infera.server.rest;

import dev.infera.spi.DataType;

/** The value ranges of the protocol's integer types, for checking decoded values. */
final class IntegerRanges {
  private IntegerRanges() {}

  static long min(DataType type) {
    return switch (type) {
      case INT8 -> Byte.MIN_VALUE;
      case INT16 -> Short.MIN_VALUE;
      case INT32 -> Integer.MIN_VALUE;
      case INT64 -> Long.MIN_VALUE;
      default -> 0;
    };
  }

  /** The largest value; for UINT64, whose top half does not fit a long, {@code Long.MAX_VALUE}. */
  static long max(DataType type) {
    return switch (type) {
      case INT8 -> Byte.MAX_VALUE;
      case UINT8 -> 0xffL;
      case INT16 -> Short.MAX_VALUE;
      case UINT16 -> 0xffffL;
      case INT32 -> Integer.MAX_VALUE;
      case UINT32 -> 0xffff_ffffL;
      default -> Long.MAX_VALUE;
    };
  }

  /** " (from MIN to MAX)" for integer types, empty for others. */
  static String describe(DataType type) {
    return switch (type) {
      case BOOL, FP16, FP32, FP64, BF16, BYTES -> "";
      case UINT64 -> " (0 to 18446744073709551615)";
      default -> " (" + min(type) + " to " + max(type) + ")";
    };
  }
}
