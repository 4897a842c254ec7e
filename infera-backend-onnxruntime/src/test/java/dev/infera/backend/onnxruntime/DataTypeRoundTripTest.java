package dev.infera.backend.onnxruntime;

import static dev.infera.backend.onnxruntime.TestModels.direct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.Tensor;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every datatype goes through an Identity model and comes back bit for bit. */
class DataTypeRoundTripTest {
  private static final long[] SHAPE = {2, 3};

  private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend(() -> 2);

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  @Test
  void boolKeepsTrueAndFalse() {
    assertRoundTrip(
        direct("INPUT0", DataType.BOOL, SHAPE, b -> b.put(new byte[] {1, 0, 0, 1, 1, 0})));
  }

  @Test
  void int8KeepsExtremes() {
    assertRoundTrip(
        direct(
            "INPUT0",
            DataType.INT8,
            SHAPE,
            b -> b.put(new byte[] {Byte.MIN_VALUE, -1, 0, 1, Byte.MAX_VALUE, -42})));
  }

  @Test
  void int16KeepsNegativeValues() {
    assertRoundTrip(
        direct(
            "INPUT0",
            DataType.INT16,
            SHAPE,
            b -> {
              for (short v : new short[] {Short.MIN_VALUE, -1, 0, 1, Short.MAX_VALUE, -300}) {
                b.putShort(v);
              }
            }));
  }

  @Test
  void int32KeepsNegativeValues() {
    assertRoundTrip(
        TestModels.int32("INPUT0", SHAPE, Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, -7));
  }

  @Test
  void int64KeepsNegativeValues() {
    assertRoundTrip(
        direct(
            "INPUT0",
            DataType.INT64,
            SHAPE,
            b -> {
              for (long v : new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, -(1L << 40)}) {
                b.putLong(v);
              }
            }));
  }

  @Test
  void uint8KeepsValuesAbove127() {
    assertRoundTrip(
        direct(
            "INPUT0",
            DataType.UINT8,
            SHAPE,
            b -> b.put(new byte[] {0, 1, 127, (byte) 128, (byte) 200, (byte) 255})));
  }

  @Test
  void uint16KeepsValuesAboveSignedRange() {
    assertRoundTrip(
        direct(
            "INPUT0",
            DataType.UINT16,
            SHAPE,
            b -> {
              for (int v : new int[] {0, 1, 32767, 32768, 50000, 65535}) {
                b.putShort((short) v);
              }
            }));
  }

  @Test
  void uint32KeepsValuesAboveSignedRange() {
    assertRoundTrip(
        direct(
            "INPUT0",
            DataType.UINT32,
            SHAPE,
            b -> {
              for (long v :
                  new long[] {0, 1, Integer.MAX_VALUE, 1L << 31, 3_000_000_000L, 0xFFFF_FFFFL}) {
                b.putInt((int) v);
              }
            }));
  }

  @Test
  void uint64KeepsValuesAbove2To63() {
    BigInteger[] values = {
      BigInteger.ZERO,
      BigInteger.ONE,
      BigInteger.valueOf(Long.MAX_VALUE),
      BigInteger.ONE.shiftLeft(63),
      new BigInteger("12345678901234567890"),
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)
    };
    Tensor output =
        assertRoundTrip(
            direct(
                "INPUT0",
                DataType.UINT64,
                SHAPE,
                b -> {
                  for (BigInteger v : values) {
                    b.putLong(v.longValue());
                  }
                }));

    ByteBuffer data = output.data();
    assertThat(new BigInteger(Long.toUnsignedString(data.getLong(4 * 8))))
        .isEqualTo(new BigInteger("12345678901234567890"));
  }

  @Test
  void uint32AcceptsHeapBuffers() {
    ByteBuffer heap = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : new long[] {0, 7, 1L << 31, 0xFFFF_FFFFL, 5, 6}) {
      heap.putInt((int) v);
    }
    heap.flip();

    assertRoundTrip(Tensor.of("INPUT0", DataType.UINT32, SHAPE, heap));
  }

  @Test
  void fp16KeepsBitPatterns() {
    // 1.0, -2.0, +inf, NaN with payload, -0.0, smallest subnormal
    short[] bits = {0x3C00, (short) 0xC000, 0x7C00, 0x7E01, (short) 0x8000, 0x0001};
    assertRoundTrip(
        direct(
            "INPUT0",
            DataType.FP16,
            SHAPE,
            b -> {
              for (short v : bits) {
                b.putShort(v);
              }
            }));
  }

  @Test
  void bf16KeepsBitPatterns() {
    short[] bits = {0x3F80, (short) 0xC000, 0x7F80, 0x7FC1, (short) 0x8000, 0x0001};
    assertRoundTrip(
        direct(
            "INPUT0",
            DataType.BF16,
            SHAPE,
            b -> {
              for (short v : bits) {
                b.putShort(v);
              }
            }));
  }

  @Test
  void fp32KeepsSpecialValues() {
    float[] values = {
      1.5f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 3.1e-7f
    };
    assertRoundTrip(
        direct(
            "INPUT0",
            DataType.FP32,
            SHAPE,
            b -> {
              for (float v : values) {
                b.putFloat(v);
              }
            }));
  }

  @Test
  void fp32AcceptsHeapBuffers() {
    ByteBuffer heap = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : new float[] {1, 2, 3, 4, 5, 6}) {
      heap.putFloat(v);
    }
    heap.flip();

    assertRoundTrip(Tensor.of("INPUT0", DataType.FP32, SHAPE, heap));
  }

  @Test
  void fp64KeepsSpecialValues() {
    double[] values = {Math.PI, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, -1e300};
    assertRoundTrip(
        direct(
            "INPUT0",
            DataType.FP64,
            SHAPE,
            b -> {
              for (double v : values) {
                b.putDouble(v);
              }
            }));
  }

  @Test
  void bytesKeepUtf8TextIncludingEmoji() {
    List<String> strings = List.of("héllo", "日本語", "😀 emoji", "", "quote \" \\ \n\t", "a\u0000b");
    Tensor input =
        Tensor.ofBytes(
            "INPUT0",
            SHAPE,
            strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());

    Tensor output = execute("bytes", input);

    assertThat(output.dataType()).isEqualTo(DataType.BYTES);
    assertThat(output.shape()).containsExactly(SHAPE);
    assertThat(output.elements().stream().map(e -> new String(e, StandardCharsets.UTF_8)))
        .containsExactlyElementsOf(strings);
  }

  @Test
  void bytesThatAreNotUtf8AreRejected() {
    Tensor input =
        Tensor.ofBytes(
            "INPUT0",
            new long[] {1, 3},
            List.of(new byte[] {'o', 'k'}, new byte[] {(byte) 0xC3, (byte) 0x28}, new byte[0]));

    assertThatThrownBy(() -> execute("bytes", input))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("input 'INPUT0'")
        .hasMessageContaining("element 1")
        .hasMessageContaining("UTF-8");
  }

  private Tensor assertRoundTrip(Tensor input) {
    Tensor output = execute(input.dataType().name().toLowerCase(Locale.ROOT), input);

    assertThat(output.name()).isEqualTo("OUTPUT0");
    assertThat(output.dataType()).isEqualTo(input.dataType());
    assertThat(output.shape()).containsExactly(input.shape());
    assertThat(bytes(output.data())).containsExactly(bytes(input.data()));
    return output;
  }

  private Tensor execute(String type, Tensor input) {
    try (LoadedModel model = backend.load(TestModels.request("identity_" + type));
        ModelInstance instance = model.newInstance(0)) {
      List<Tensor> outputs = instance.execute(List.of(input), List.of("OUTPUT0"));
      assertThat(outputs).hasSize(1);
      return outputs.get(0);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
