package dev.infera.bench.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomInputsTest {
  private static final TensorMeta FEATURES =
      new TensorMeta("features", DataType.FP32, new long[] {-1, 64});
  private static final TensorMeta IDS =
      new TensorMeta("input_ids", DataType.INT64, new long[] {-1, -1});
  private static final TensorMeta FIXED = new TensorMeta("x", DataType.FP32, new long[] {4, 4});

  @Test
  void theBatchDimensionTakesTheBatchSize() {
    InputTensor tensor = new RandomInputs(0).generate(List.of(FEATURES), 8, List.of()).get(0);

    assertThat(tensor.shape()).containsExactly(8, 64);
    assertThat(tensor.raw()).hasSize(8 * 64 * 4);
  }

  @Test
  void floatsLieInZeroToOne() {
    ByteBuffer data = new RandomInputs(1).generate(List.of(FEATURES), 4, List.of()).get(0).buffer();

    for (int i = 0; i < 4 * 64; i++) {
      assertThat(data.getFloat()).isGreaterThanOrEqualTo(0f).isLessThan(1f);
    }
  }

  @Test
  void aShapeOverrideWithoutTheBatchDimensionFillsTheDynamicDimensions() {
    InputTensor tensor =
        new RandomInputs(0)
            .generate(List.of(IDS), 3, List.of(ShapeOverride.parse("input_ids:16")))
            .get(0);

    assertThat(tensor.shape()).containsExactly(3, 16);
    assertThat(tensor.raw()).hasSize(3 * 16 * 8);
  }

  @Test
  void integersStayBelowTheBound() {
    ByteBuffer data =
        new RandomInputs(2)
            .generate(List.of(IDS), 2, List.of(ShapeOverride.parse("input_ids:100")))
            .get(0)
            .buffer();

    for (int i = 0; i < 200; i++) {
      assertThat(data.getLong()).isBetween(0L, (long) RandomInputs.INTEGER_BOUND - 1);
    }
  }

  @Test
  void aFullShapeOverrideStillTakesTheBatchSize() {
    long[] shape = RandomInputs.resolveShape(IDS, 5, ShapeOverride.parse("input_ids:1,32"));

    assertThat(shape).containsExactly(5, 32);
  }

  @Test
  void aDynamicDimensionWithoutOverrideIsNamedInTheError() {
    assertThatThrownBy(() -> new RandomInputs(0).generate(List.of(IDS), 1, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input 'input_ids'")
        .hasMessageContaining("--shape input_ids:");
  }

  @Test
  void anOverrideContradictingAFixedDimensionIsRejected() {
    assertThatThrownBy(
            () ->
                new RandomInputs(0)
                    .generate(List.of(FEATURES), 1, List.of(ShapeOverride.parse("features:32"))))
        .hasMessageContaining("input 'features'")
        .hasMessageContaining("fixes it at 64");
  }

  @Test
  void anOverrideOfTheWrongRankIsRejected() {
    assertThatThrownBy(
            () ->
                new RandomInputs(0)
                    .generate(List.of(FEATURES), 1, List.of(ShapeOverride.parse("features:1,2,3"))))
        .hasMessageContaining("has 3 dimensions");
  }

  @Test
  void anOverrideForAnUnknownInputIsRejected() {
    assertThatThrownBy(
            () ->
                new RandomInputs(0)
                    .generate(List.of(FEATURES), 1, List.of(ShapeOverride.parse("nope:3"))))
        .hasMessageContaining("[nope]")
        .hasMessageContaining("[features]");
  }

  @Test
  void anInputWithoutBatchDimensionRefusesBatchesLargerThanOne() {
    assertThatThrownBy(() -> new RandomInputs(0).generate(List.of(FIXED), 2, List.of()))
        .hasMessageContaining("input 'x' has no batch dimension")
        .hasMessageContaining("--batch-size 1");
  }

  @Test
  void anInputWithoutBatchDimensionKeepsItsShape() {
    InputTensor tensor = new RandomInputs(0).generate(List.of(FIXED), 1, List.of()).get(0);

    assertThat(tensor.shape()).containsExactly(4, 4);
  }

  @Test
  void bytesElementsAreLengthPrefixedStrings() {
    TensorMeta strings = new TensorMeta("s", DataType.BYTES, new long[] {-1, 1});

    InputTensor tensor = new RandomInputs(0).generate(List.of(strings), 3, List.of()).get(0);

    ByteBuffer data = ByteBuffer.wrap(tensor.raw()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 3; i++) {
      assertThat(data.getInt()).isEqualTo(RandomInputs.STRING_LENGTH);
      data.position(data.position() + RandomInputs.STRING_LENGTH);
    }
    assertThat(data.hasRemaining()).isFalse();
  }

  @Test
  void theSameSeedGivesTheSameInputs() {
    byte[] first = new RandomInputs(7).generate(List.of(FEATURES), 2, List.of()).get(0).raw();
    byte[] second = new RandomInputs(7).generate(List.of(FEATURES), 2, List.of()).get(0).raw();

    assertThat(first).isEqualTo(second);
  }

  @Test
  void halfPrecisionKeepsSignExponentAndTruncatedMantissa() {
    assertThat(RandomInputs.halfOf(1.0f)).isEqualTo((short) 0x3c00);
    assertThat(RandomInputs.halfOf(-2.0f)).isEqualTo((short) 0xc000);
    assertThat(RandomInputs.halfOf(0.5f)).isEqualTo((short) 0x3800);
    assertThat(RandomInputs.halfOf(1e6f)).isEqualTo((short) 0x7c00);
  }
}
