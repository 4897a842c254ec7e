package dev.infera.spi.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.infera.spi.DataType;
import dev.infera.spi.HalfPrecision;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/** Asserts that a tensor matches an expected one: name, type, shape, then every element. */
public final class TensorComparison {
  private TensorComparison() {}

  /**
   * Fails with a message naming {@code context}, the tensor and the first differing element.
   * Floating-point elements compare within {@code tolerance}; all others exactly.
   */
  public static void assertMatches(
      String context, Tensor actual, Tensor expected, Tolerance tolerance) {
    String what = context + ", output '" + expected.name() + "'";
    assertThat(actual.name()).as(what + ": name").isEqualTo(expected.name());
    assertThat(actual.dataType()).as(what + ": datatype").isEqualTo(expected.dataType());
    assertThat(actual.shape()).as(what + ": shape").containsExactly(expected.shape());
    if (expected.dataType() == DataType.BYTES) {
      compareBytes(what, actual.elements(), expected.elements());
    } else if (isFloatingPoint(expected.dataType())) {
      compareFloats(what, actual, expected, tolerance);
    } else {
      assertThat(actual.data()).as(what + ": data").isEqualTo(expected.data());
    }
  }

  /** Asserts each tensor of {@code actual} matches the one at the same position. */
  public static void assertAllMatch(
      String context, List<Tensor> actual, List<Tensor> expected, Tolerance tolerance) {
    assertThat(actual.stream().map(Tensor::name).toList())
        .as(context + ": output names and order")
        .containsExactlyElementsOf(expected.stream().map(Tensor::name).toList());
    for (int i = 0; i < expected.size(); i++) {
      assertMatches(context, actual.get(i), expected.get(i), tolerance);
    }
  }

  private static boolean isFloatingPoint(DataType type) {
    return type == DataType.FP16
        || type == DataType.BF16
        || type == DataType.FP32
        || type == DataType.FP64;
  }

  private static void compareFloats(
      String what, Tensor actual, Tensor expected, Tolerance tolerance) {
    ByteBuffer got = actual.data();
    ByteBuffer want = expected.data();
    long count = expected.elementCount();
    for (int i = 0; i < count; i++) {
      double g = element(got, expected.dataType(), i);
      double w = element(want, expected.dataType(), i);
      if (!tolerance.accepts(g, w)) {
        fail(
            "%s: element %d is %s (expected %s, |diff| %s, tolerance %s)",
            what, i, g, w, Math.abs(g - w), tolerance);
      }
    }
  }

  private static double element(ByteBuffer data, DataType type, int index) {
    return switch (type) {
      case FP16 -> HalfPrecision.halfToFloat(data.getShort(index * 2));
      case BF16 -> HalfPrecision.bfloat16ToFloat(data.getShort(index * 2));
      case FP32 -> data.getFloat(index * 4);
      case FP64 -> data.getDouble(index * 8);
      default -> throw new IllegalArgumentException(type.name());
    };
  }

  private static void compareBytes(String what, List<byte[]> actual, List<byte[]> expected) {
    for (int i = 0; i < expected.size(); i++) {
      if (!Arrays.equals(actual.get(i), expected.get(i))) {
        fail(
            "%s: element %d is %s (expected %s)",
            what, i, Arrays.toString(actual.get(i)), Arrays.toString(expected.get(i)));
      }
    }
  }
}
