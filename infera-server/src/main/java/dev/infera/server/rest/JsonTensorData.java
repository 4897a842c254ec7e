package dev.infera.server.rest;

import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The elements of one tensor as read from a JSON {@code data} value, before the shape is applied.
 * Exactly one of {@code fixed} (fixed-size types) and {@code strings} (BYTES) is non-null.
 */
record JsonTensorData(DataType type, long count, ByteBuffer fixed, List<byte[]> strings) {

  /** The tensor, once the element count is checked against the shape. */
  Tensor toTensor(String name, long[] shape) {
    long expected = Tensor.elementCount(shape);
    if (count != expected) {
      throw InferenceException.invalidArgument(
          "input '"
              + name
              + "': data holds "
              + count
              + " elements, shape "
              + Arrays.toString(shape)
              + " needs "
              + expected);
    }
    return fixed != null
        ? Tensor.of(name, type, shape, fixed)
        : Tensor.ofBytes(name, shape, strings);
  }
}
