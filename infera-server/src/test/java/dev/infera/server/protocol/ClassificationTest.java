package dev.infera.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The classification extension's answers, shaped and written as Triton's. */
class ClassificationTest {
  private static Tensor fp32(long[] shape, float... values) {
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      data.putFloat(value);
    }
    return Tensor.of("y", DataType.FP32, shape, data.flip());
  }

  private static List<String> texts(Tensor tensor) {
    return tensor.elements().stream()
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .toList();
  }

  @Test
  void eachBatchEntryRanksAllOfItsElements() {
    // Two entries of [2, 2]: the classes are each entry's four elements, indexed row-major.
    Tensor output = fp32(new long[] {2, 2, 2}, 0.1f, 0.4f, 0.3f, 0.2f, 0.9f, 0.5f, 0.6f, 0.8f);

    Tensor top = Classification.topK(output, 2, List.of(), true);

    assertThat(top.dataType()).isEqualTo(DataType.BYTES);
    assertThat(top.shape()).containsExactly(2, 2);
    assertThat(texts(top)).containsExactly("0.400000:1", "0.300000:2", "0.900000:0", "0.800000:3");
  }

  @Test
  void withoutBatchDimensionTheWholeOutputIsOneSetOfClasses() {
    Tensor output = fp32(new long[] {2, 3}, 0.1f, 0.7f, 0.2f, 0.5f, 0.5f, 0.9f);

    Tensor top = Classification.topK(output, 4, List.of("a", "b", "c"), false);

    assertThat(top.shape()).containsExactly(4);
    // Ties: the lower index first. Labels name the first three classes only.
    assertThat(texts(top))
        .containsExactly("0.900000:5", "0.700000:1:b", "0.500000:3", "0.500000:4");
  }

  @Test
  void aClassCountAboveTheElementsKeepsThemAll() {
    Tensor top = Classification.topK(fp32(new long[] {1, 2}, 1f, 2f), 10, List.of(), true);

    assertThat(top.shape()).containsExactly(1, 2);
    assertThat(top.elementCount()).isEqualTo(2);
  }

  @Test
  void scoresAreWrittenAsPrintfWritesThem() {
    // Six decimals of the exact binary value, rounded half to even (1/128 = 0.0078125); the sign
    // of a negative that rounds to zero kept; C's spellings of NaN and infinities.
    Tensor output =
        fp32(
            new long[] {6},
            1f / 128,
            -1e-9f,
            -0.0f,
            Float.NaN,
            Float.NEGATIVE_INFINITY,
            123456.78f);

    Tensor top = Classification.topK(output, 6, List.of(), false);

    assertThat(texts(top))
        .containsExactlyInAnyOrder(
            "0.007812:0", "-0.000000:1", "-0.000000:2", "nan:3", "-inf:4", "123456.781250:5");
  }

  @Test
  void integerScoresAreThePlainNumber() {
    ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    data.putLong(Long.MIN_VALUE).putLong(-1L).putLong(7);
    Tensor uint64 = Tensor.of("y", DataType.UINT64, new long[] {1, 3}, data.flip());

    assertThat(texts(Classification.topK(uint64, 1, List.of(), true)))
        .containsExactly("18446744073709551615:1");
  }

  @Test
  void nonNumericOutputsAreRefused() {
    Tensor text = Tensor.ofBytes("y", new long[] {1}, List.of(new byte[] {65}));

    assertThatThrownBy(() -> Classification.topK(text, 1, List.of(), true))
        .isInstanceOf(InferenceException.class)
        .hasMessage("output 'y': classification needs a numeric output, not BYTES");
  }
}
