package dev.infera.spi;

import java.util.Locale;
import java.util.Optional;

/**
 * The tensor element types of the Open Inference Protocol. Fixed-size types are stored
 * little-endian, {@link #byteSize()} bytes per element; {@link #BYTES} elements are byte strings of
 * any length.
 */
public enum DataType {
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
  FP32(4),
  FP64(8),
  BF16(2),
  BYTES(-1);

  private final int byteSize;

  DataType(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element, or -1 for {@link #BYTES}, whose elements vary in length. */
  public int byteSize() {
    return byteSize;
  }

  public boolean isFixedSize() {
    return byteSize > 0;
  }

  /** The protocol's name: {@code FP32}, {@code BYTES}... */
  public String protocolName() {
    return name();
  }

  /** Triton's model configuration name: {@code TYPE_FP32}, {@code TYPE_STRING} for BYTES. */
  public String tritonName() {
    return this == BYTES ? "TYPE_STRING" : "TYPE_" + name();
  }

  /** Parses a protocol name such as {@code FP32}; case-sensitive as the protocol is. */
  public static Optional<DataType> fromProtocolName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (DataType type : values()) {
      if (type.name().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** Parses a Triton configuration name such as {@code TYPE_FP32} or {@code TYPE_STRING}. */
  public static Optional<DataType> fromTritonName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String upper = name.toUpperCase(Locale.ROOT);
    if (upper.equals("TYPE_STRING")) {
      return Optional.of(BYTES);
    }
    if (!upper.startsWith("TYPE_")) {
      return Optional.empty();
    }
    return fromProtocolName(upper.substring("TYPE_".length()));
  }
}
