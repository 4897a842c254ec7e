package dev.infera.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A named, typed, shaped block of data: one input or output of a model.
 *
 * <p>Fixed-size types hold their elements row-major and little-endian in one {@link ByteBuffer}
 * (heap or direct; direct buffers in native order reach native runtimes without a copy). {@link
 * DataType#BYTES} tensors hold one {@code byte[]} per element.
 *
 * <p>Immutable by contract: the constructor checks that the data matches the shape, and nobody
 * writes to a tensor's buffer or element arrays after it is built. Safe to share across threads.
 */
public final class Tensor {
  private final String name;
  private final DataType dataType;
  private final long[] shape;
  private final long elementCount;
  private final ByteBuffer data;
  private final List<byte[]> elements;

  private Tensor(
      String name, DataType dataType, long[] shape, ByteBuffer data, List<byte[]> elements) {
    this.name = Objects.requireNonNull(name, "name");
    this.dataType = Objects.requireNonNull(dataType, "dataType");
    this.shape = shape.clone();
    this.elementCount = elementCount(this.shape);
    this.data = data;
    this.elements = elements;
  }

  /**
   * A tensor of a fixed-size type. The buffer's remaining bytes must be exactly {@code
   * elementCount(shape) * type.byteSize()}; its position and limit are not changed.
   */
  public static Tensor of(String name, DataType type, long[] shape, ByteBuffer data) {
    if (!type.isFixedSize()) {
      throw new IllegalArgumentException("use ofBytes for BYTES tensor '" + name + "'");
    }
    long expected = elementCount(shape) * type.byteSize();
    if (data.remaining() != expected) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': "
              + data.remaining()
              + " bytes for shape "
              + Arrays.toString(shape)
              + " of "
              + type
              + " (expected "
              + expected
              + ")");
    }
    return new Tensor(name, type, shape, data.slice().order(ByteOrder.LITTLE_ENDIAN), null);
  }

  /** A BYTES tensor with one byte string per element, row-major. */
  public static Tensor ofBytes(String name, long[] shape, List<byte[]> elements) {
    if (elements.size() != elementCount(shape)) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': "
              + elements.size()
              + " elements for shape "
              + Arrays.toString(shape)
              + " (expected "
              + elementCount(shape)
              + ")");
    }
    return new Tensor(name, DataType.BYTES, shape, null, List.copyOf(elements));
  }

  /** The number of elements a shape holds; every dimension must be non-negative. */
  public static long elementCount(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  public String name() {
    return name;
  }

  public DataType dataType() {
    return dataType;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int index) {
    return shape[index];
  }

  public long elementCount() {
    return elementCount;
  }

  /**
   * The data of a fixed-size tensor: a fresh little-endian view positioned at 0 (the caller may
   * move its position, not write its content).
   */
  public ByteBuffer data() {
    if (data == null) {
      throw new IllegalStateException("tensor '" + name + "' is BYTES; use elements()");
    }
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The elements of a BYTES tensor, row-major. */
  public List<byte[]> elements() {
    if (elements == null) {
      throw new IllegalStateException("tensor '" + name + "' is " + dataType + "; use data()");
    }
    return elements;
  }

  /** The size of the data in bytes; for BYTES, the sum of the element lengths. */
  public long byteSize() {
    if (data != null) {
      return data.remaining();
    }
    long total = 0;
    for (byte[] element : elements) {
      total += element.length;
    }
    return total;
  }

  /** The same data under another name. */
  public Tensor withName(String newName) {
    return new Tensor(newName, dataType, shape, data, elements);
  }

  /** The same data under another shape holding the same number of elements. */
  public Tensor withShape(long[] newShape) {
    if (elementCount(newShape) != elementCount) {
      throw new IllegalArgumentException(
          "cannot reshape tensor '"
              + name
              + "' from "
              + Arrays.toString(shape)
              + " to "
              + Arrays.toString(newShape));
    }
    return new Tensor(name, dataType, newShape, data, elements);
  }

  @Override
  public String toString() {
    return "Tensor[" + name + ", " + dataType + ", " + Arrays.toString(shape) + "]";
  }
}
