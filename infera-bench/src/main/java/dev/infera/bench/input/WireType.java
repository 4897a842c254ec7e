package dev.infera.bench.input;

import java.util.Locale;

/** The KServe v2 tensor data types, with the bytes one element takes on the wire (BYTES: -1). */
public enum WireType {
  BOOL(1),
  UINT8(1),
  UINT16(2),
  UINT32(4),
  UINT64(8),
  INT8(1),
  INT16(2),
  INT32(4),
  INT64(8),
  FP16(2),
  BF16(2),
  FP32(4),
  FP64(8),
  BYTES(-1);

  private final int elementBytes;

  WireType(int elementBytes) {
    this.elementBytes = elementBytes;
  }

  /** Bytes per element; -1 for BYTES, whose elements are length-prefixed. */
  public int elementBytes() {
    return elementBytes;
  }

  /**
   * The type of a KServe v2 {@code datatype} string.
   *
   * @throws IllegalArgumentException naming the tensor and the accepted names
   */
  public static WireType of(String tensor, String datatype) {
    try {
      return valueOf(datatype.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "tensor '"
              + tensor
              + "': unknown datatype '"
              + datatype
              + "' (expected one of BOOL, UINT8..UINT64, INT8..INT64, FP16, BF16, FP32, FP64,"
              + " BYTES)");
    }
  }
}
