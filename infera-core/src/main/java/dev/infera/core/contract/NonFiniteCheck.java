package dev.infera.core.contract;

import static dev.infera.spi.InferenceException.invalidArgument;

import dev.infera.spi.NonFiniteValues;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;

/**
 * Refuses the non-finite floating-point values a model does not take ({@link NonFiniteValues}),
 * naming the tensor, the value and its element index. One pass over the input's bytes, without
 * copying; nothing is scanned for models that take every value.
 *
 * <p>Stateless and thread-safe.
 */
final class NonFiniteCheck {
  private static final int FP16_EXPONENT = 0x7C00;
  private static final int FP16_MANTISSA = 0x03FF;
  private static final int BF16_EXPONENT = 0x7F80;
  private static final int BF16_MANTISSA = 0x007F;

  private final String label;
  private final NonFiniteValues accepted;

  NonFiniteCheck(String label, NonFiniteValues accepted) {
    this.label = label;
    this.accepted = accepted;
  }

  void check(Tensor tensor) {
    if (accepted == NonFiniteValues.ANY) {
      return;
    }
    ByteBuffer data;
    switch (tensor.dataType()) {
      case FP32, FP64, FP16, BF16 -> data = tensor.data();
      default -> {
        return;
      }
    }
    long count = tensor.elementCount();
    for (int i = 0; i < count; i++) {
      double value = value(tensor, data, i);
      if (!Double.isFinite(value) && !accepted.accepts(value)) {
        throw invalidArgument(
            label
                + ": input '"
                + tensor.name()
                + "' holds "
                + describe(value)
                + " at element "
                + i
                + " (the model takes "
                + (accepted == NonFiniteValues.NAN_ONLY
                    ? "finite values and NaN for missing ones"
                    : "finite values only")
                + ")");
      }
    }
  }

  /** The element as a double, exact for the non-finite cases that matter here. */
  private static double value(Tensor tensor, ByteBuffer data, int index) {
    return switch (tensor.dataType()) {
      case FP32 -> data.getFloat(index * Float.BYTES);
      case FP64 -> data.getDouble(index * Double.BYTES);
      case FP16 -> halfBits(data.getShort(index * 2), FP16_EXPONENT, FP16_MANTISSA);
      default -> halfBits(data.getShort(index * 2), BF16_EXPONENT, BF16_MANTISSA);
    };
  }

  /** NaN or a signed infinity for 16-bit non-finite patterns; 0 for every finite one. */
  private static double halfBits(short bits, int exponent, int mantissa) {
    if ((bits & exponent) != exponent) {
      return 0;
    }
    if ((bits & mantissa) != 0) {
      return Double.NaN;
    }
    return bits < 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  private static String describe(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    return value > 0 ? "+infinity" : "-infinity";
  }
}
