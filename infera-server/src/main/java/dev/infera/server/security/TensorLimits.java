package dev.infera.server.security;

import dev.infera.spi.InferenceException;
import java.util.List;

/** The per-tensor element limit ({@code --max-tensor-elements}) as the gRPC guard applies it. */
final class TensorLimits {
  private TensorLimits() {}

  /**
   * Fails with INVALID_ARGUMENT when {@code shape} holds more than {@code max} elements. Negative
   * dimensions are left to the codec, which names them.
   */
  static void checkShape(String label, List<Long> shape, long max) {
    long elements = 1;
    boolean overflow = false;
    for (long dim : shape) {
      if (dim < 0) {
        return;
      }
      if (dim != 0 && elements > Long.MAX_VALUE / dim) {
        overflow = true;
      }
      elements *= dim;
      if (dim == 0) {
        return;
      }
    }
    if (overflow || elements > max) {
      throw InferenceException.invalidArgument(
          label
              + ": shape "
              + shape
              + " holds "
              + (overflow ? "more than 2^63" : Long.toString(elements))
              + " elements, more than the limit of "
              + max
              + " per tensor");
    }
  }
}
