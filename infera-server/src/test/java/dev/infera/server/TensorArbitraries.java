package dev.infera.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random tensors for the codecs' round-trip properties: every datatype, ranks 0 to 3 with
 * dimensions 0 to 5, fixed-size data from arbitrary bit patterns (so NaNs, infinities and
 * subnormals come up), BOOL as 0/1, BYTES as arbitrary byte strings or, where the codec carries
 * text (REST JSON), UTF-8 text.
 */
public final class TensorArbitraries {
  private TensorArbitraries() {}

  public static Arbitrary<long[]> shapes() {
    return Arbitraries.longs()
        .between(0, 5)
        .list()
        .ofMaxSize(3)
        .map(dims -> dims.stream().mapToLong(Long::longValue).toArray());
  }

  /** Tensors of the given types; {@code textBytes}: BYTES elements are UTF-8 text. */
  public static Arbitrary<Tensor> tensors(List<DataType> types, boolean textBytes) {
    return Arbitraries.of(types).flatMap(type -> tensors(type, textBytes));
  }

  public static Arbitrary<Tensor> tensors(DataType type, boolean textBytes) {
    return shapes().flatMap(shape -> tensors(type, shape, textBytes));
  }

  private static Arbitrary<Tensor> tensors(DataType type, long[] shape, boolean textBytes) {
    int count = Math.toIntExact(Tensor.elementCount(shape));
    if (type == DataType.BYTES) {
      Arbitrary<byte[]> element =
          textBytes
              ? Arbitraries.strings()
                  .withCharRange('\u0000', '\ud7ff')
                  .ofMaxLength(12)
                  .map(s -> s.getBytes(StandardCharsets.UTF_8))
              : Arbitraries.bytes().array(byte[].class).ofMaxSize(12);
      return element.list().ofSize(count).map(elements -> Tensor.ofBytes("x", shape, elements));
    }
    Arbitrary<byte[]> data =
        type == DataType.BOOL
            ? Arbitraries.of((byte) 0, (byte) 1).array(byte[].class).ofSize(count)
            : Arbitraries.bytes().array(byte[].class).ofSize(count * type.byteSize());
    return data.map(
        bytes ->
            Tensor.of("x", type, shape, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)));
  }

  /** Asserts the same name, type, shape and bytes, bit for bit. */
  public static void assertSameBits(Tensor expected, Tensor actual) {
    assertSameHeader(expected, actual);
    if (expected.dataType() == DataType.BYTES) {
      assertThat(actual.elements()).containsExactlyElementsOf(expected.elements());
    } else {
      assertThat(bytes(actual)).isEqualTo(bytes(expected));
    }
  }

  /**
   * Asserts the same name, type, shape and values, where every NaN equals every other NaN of its
   * type (text formats carry no NaN payload); other values bit for bit.
   */
  public static void assertSameValues(Tensor expected, Tensor actual) {
    DataType type = expected.dataType();
    if (type != DataType.FP16
        && type != DataType.BF16
        && type != DataType.FP32
        && type != DataType.FP64) {
      assertSameBits(expected, actual);
      return;
    }
    assertSameHeader(expected, actual);
    assertThat(canonicalNaNs(actual)).isEqualTo(canonicalNaNs(expected));
  }

  private static void assertSameHeader(Tensor expected, Tensor actual) {
    assertThat(actual.name()).isEqualTo(expected.name());
    assertThat(actual.dataType()).isEqualTo(expected.dataType());
    assertThat(actual.shape()).isEqualTo(expected.shape());
  }

  private static long[] canonicalNaNs(Tensor tensor) {
    ByteBuffer data = tensor.data().order(ByteOrder.LITTLE_ENDIAN);
    int count = Math.toIntExact(tensor.elementCount());
    long[] values = new long[count];
    for (int i = 0; i < count; i++) {
      values[i] =
          switch (tensor.dataType()) {
            case FP16 -> canonicalHalf(data.getShort(i * 2), 0x7c00, 0x03ff, (short) 0x7e00);
            case BF16 -> canonicalHalf(data.getShort(i * 2), 0x7f80, 0x007f, (short) 0x7fc0);
            case FP32 -> Float.floatToIntBits(data.getFloat(i * 4));
            default -> Double.doubleToLongBits(data.getDouble(i * 8));
          };
    }
    return values;
  }

  private static long canonicalHalf(short bits, int exponent, int mantissa, short nan) {
    boolean isNaN = (bits & exponent) == exponent && (bits & mantissa) != 0;
    return isNaN ? nan : bits;
  }

  private static byte[] bytes(Tensor tensor) {
    ByteBuffer data = tensor.data().duplicate();
    byte[] out = new byte[data.remaining()];
    data.get(out);
    return out;
  }
}
