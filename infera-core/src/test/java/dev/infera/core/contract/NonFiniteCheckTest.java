package dev.infera.core.contract;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.NonFiniteValues;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NonFiniteCheckTest {
  private static final String LABEL = "model 'm' version '1'";

  private static Tensor fp32(float... values) {
    ByteBuffer data =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      data.putFloat(v);
    }
    return Tensor.of("x", DataType.FP32, new long[] {1, values.length}, data.flip());
  }

  private static Tensor sixteenBit(DataType type, int... patterns) {
    ByteBuffer data = ByteBuffer.allocate(patterns.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int p : patterns) {
      data.putShort((short) p);
    }
    return Tensor.of("h", type, new long[] {patterns.length}, data.flip());
  }

  @Test
  void nanOnlyModelRefusesInfinityNamingTensorAndElement() {
    NonFiniteCheck check = new NonFiniteCheck(LABEL, NonFiniteValues.NAN_ONLY);

    assertThatThrownBy(() -> check.check(fp32(1, Float.NaN, Float.NEGATIVE_INFINITY)))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "model 'm' version '1': input 'x' holds -infinity at element 2 (the model takes"
                + " finite values and NaN for missing ones)");
  }

  @Test
  void nanOnlyModelTakesNan() {
    assertThatCode(
            () -> new NonFiniteCheck(LABEL, NonFiniteValues.NAN_ONLY).check(fp32(Float.NaN, 3)))
        .doesNotThrowAnyException();
  }

  @Test
  void finiteOnlyModelRefusesNan() {
    assertThatThrownBy(() -> new NonFiniteCheck(LABEL, NonFiniteValues.NONE).check(fp32(Float.NaN)))
        .hasMessageContaining(
            "input 'x' holds NaN at element 0 (the model takes finite values only)");
  }

  @Test
  void anyModelTakesEverything() {
    assertThatCode(
            () ->
                new NonFiniteCheck(LABEL, NonFiniteValues.ANY)
                    .check(fp32(Float.NaN, Float.POSITIVE_INFINITY)))
        .doesNotThrowAnyException();
  }

  @Test
  void halfPrecisionPatternsAreRecognised() {
    NonFiniteCheck check = new NonFiniteCheck(LABEL, NonFiniteValues.NAN_ONLY);

    assertThatCode(() -> check.check(sixteenBit(DataType.FP16, 0x3C00, 0x7E00, 0x7BFF)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> check.check(sixteenBit(DataType.FP16, 0x3C00, 0x7C00)))
        .hasMessageContaining("+infinity at element 1");
    assertThatThrownBy(() -> check.check(sixteenBit(DataType.BF16, 0xFF80)))
        .hasMessageContaining("-infinity at element 0");
  }

  @Test
  void doublesAreChecked() {
    ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    data.putDouble(1).putDouble(Double.POSITIVE_INFINITY).flip();
    Tensor tensor = Tensor.of("d", DataType.FP64, new long[] {2}, data);

    assertThatThrownBy(() -> new NonFiniteCheck(LABEL, NonFiniteValues.NAN_ONLY).check(tensor))
        .hasMessageContaining("input 'd' holds +infinity at element 1");
  }
}
