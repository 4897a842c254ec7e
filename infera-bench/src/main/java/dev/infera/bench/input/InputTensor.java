package dev.infera.bench.input;

import dev.infera.spi.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One input tensor ready to send: its elements as KServe v2 binary data (little-endian, row-major;
 * BYTES elements each prefixed by a 4-byte little-endian length). Read-only once built: the same
 * bytes are sent with every request.
 */
public final class InputTensor {
  private final String name;
  private final DataType type;
  private final long[] shape;
  private final byte[] raw;

  public InputTensor(String name, DataType type, long[] shape, byte[] raw) {
    this.name = name;
    this.type = type;
    this.shape = shape.clone();
    this.raw = raw;
    if (type != DataType.BYTES && raw.length != elementCount() * type.byteSize()) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': "
              + raw.length
              + " bytes for shape "
              + Arrays.toString(shape)
              + " of "
              + type
              + " (expected: "
              + elementCount() * type.byteSize()
              + ")");
    }
  }

  public String name() {
    return name;
  }

  public DataType type() {
    return type;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** The binary data; callers must not modify it. */
  public byte[] raw() {
    return raw;
  }

  /** A little-endian read-only view of the binary data. */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(raw).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  public long elementCount() {
    long count = 1;
    for (long dim : shape) {
      count *= dim;
    }
    return count;
  }
}
