package dev.infera.server.grpc;

import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import java.util.Arrays;
import java.util.List;

/** Shape checks shared by the typed and raw decoders; failures name the tensor. */
final class TensorShapes {
  private TensorShapes() {}

  /** The shape as an array, after checking that no dimension is negative. */
  static long[] shape(String tensor, List<Long> dims) {
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      long dim = dims.get(i);
      if (dim < 0) {
        throw InferenceException.invalidArgument(
            "input '" + tensor + "': shape " + dims + " has a negative dimension");
      }
      shape[i] = dim;
    }
    return shape;
  }

  /**
   * The number of elements of a shape; a negative dimension or a count that overflows a long is
   * rejected.
   */
  static long elementCount(String tensor, long[] shape) {
    try {
      long count = 1;
      for (long dim : shape) {
        if (dim < 0) {
          throw InferenceException.invalidArgument(
              "input '"
                  + tensor
                  + "': shape "
                  + Arrays.toString(shape)
                  + " has a negative dimension");
        }
        count = Math.multiplyExact(count, dim);
      }
      return count;
    } catch (ArithmeticException e) {
      throw InferenceException.invalidArgument(
          "input '" + tensor + "': shape " + Arrays.toString(shape) + " holds too many elements");
    }
  }

  /** The byte size of a fixed-size tensor, rejected when it could not fit in one buffer. */
  static int byteSize(String tensor, DataType type, long[] shape) {
    long count = elementCount(tensor, shape);
    if (count > Integer.MAX_VALUE / type.byteSize()) {
      throw InferenceException.invalidArgument(
          "input '"
              + tensor
              + "': shape "
              + Arrays.toString(shape)
              + " of "
              + type
              + " is larger than 2 GiB");
    }
    return (int) count * type.byteSize();
  }
}
