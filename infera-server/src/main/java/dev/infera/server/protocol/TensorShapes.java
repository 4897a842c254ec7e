package dev.infera.server.protocol;

import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import java.util.Arrays;
import java.util.List;

/**
 * The protocol's shape rules, the same for every transport: no negative dimension, an element count
 * that fits a {@code long}, at most {@link #maxElements()} elements per tensor (the server's {@code
 * --max-tensor-elements}), and fixed-size data that fits one buffer. Failures are INVALID_ARGUMENT
 * naming the tensor. Immutable.
 *
 * @param maxElements the most elements one tensor may hold
 */
public record TensorShapes(long maxElements) {
  /** No limit beyond what a buffer can hold. */
  public static final TensorShapes UNLIMITED = new TensorShapes(Long.MAX_VALUE);

  public TensorShapes {
    if (maxElements < 1) {
      throw new IllegalArgumentException("maxElements " + maxElements + " (expected >= 1)");
    }
  }

  /**
   * The shape as an array, after checking that no dimension is negative.
   *
   * @param owner names the tensor in messages, such as {@code input 'x'}
   */
  public long[] shape(String owner, List<Long> dims) {
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i);
    }
    checkDimensions(owner, shape);
    return shape;
  }

  /**
   * The number of elements of a shape, checked for negative dimensions, the overflow of a {@code
   * long} and the per-tensor limit.
   */
  public long elementCount(String owner, long[] shape) {
    checkDimensions(owner, shape);
    long count = 1;
    try {
      for (long dim : shape) {
        count = Math.multiplyExact(count, dim);
      }
    } catch (ArithmeticException e) {
      throw InferenceException.invalidArgument(
          owner + ": shape " + Arrays.toString(shape) + " holds more than 2^63 elements");
    }
    if (count > maxElements) {
      throw InferenceException.invalidArgument(
          owner
              + ": shape "
              + Arrays.toString(shape)
              + " holds "
              + count
              + " elements, more than the limit of "
              + maxElements
              + " per tensor");
    }
    return count;
  }

  /** The byte size of a fixed-size tensor, rejected when it could not fit in one buffer. */
  public int byteSize(String owner, DataType type, long[] shape) {
    long count = elementCount(owner, shape);
    if (count > Integer.MAX_VALUE / type.byteSize()) {
      throw InferenceException.invalidArgument(
          owner + ": shape " + Arrays.toString(shape) + " of " + type + " is larger than 2 GiB");
    }
    return (int) count * type.byteSize();
  }

  private static void checkDimensions(String owner, long[] shape) {
    for (long dim : shape) {
      if (dim < 0) {
        throw InferenceException.invalidArgument(
            owner + ": shape " + Arrays.toString(shape) + " has a negative dimension");
      }
    }
  }
}
