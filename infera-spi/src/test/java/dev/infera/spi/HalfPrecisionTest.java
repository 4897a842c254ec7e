package dev.infera.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HalfPrecisionTest {

  @ParameterizedTest
  @CsvSource({
    "1.0, 3c00",
    "-2.0, c000",
    "0.5, 3800",
    "65504.0, 7bff",
    "65520.0, 7c00",
    "0.1, 2e66",
    "5.9604645E-8, 0001",
    "2.9802322E-8, 0000",
    "6.1035156E-5, 0400",
    "0.0, 0000",
    "-0.0, 8000",
    "Infinity, 7c00",
    "1.00048828125, 3c00",
    "1.00146484375, 3c02"
  })
  void narrowsFloatToHalfRoundingToNearestEven(float value, String hex) {
    assertThat(HalfPrecision.floatToHalf(value)).isEqualTo((short) Integer.parseInt(hex, 16));
  }

  @Test
  void everyHalfValueSurvivesARoundTripThroughFloat() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float value = HalfPrecision.halfToFloat((short) bits);
      if (Float.isNaN(value)) {
        assertThat(Float.isNaN(HalfPrecision.halfToFloat(HalfPrecision.floatToHalf(value))))
            .isTrue();
      } else {
        assertThat(HalfPrecision.floatToHalf(value) & 0xffff).isEqualTo(bits);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"1.0, 3f80", "-2.0, c000", "3.0, 4040", "1.00390625, 3f80", "1.01171875, 3f82"})
  void narrowsFloatToBfloat16RoundingToNearestEven(float value, String hex) {
    assertThat(HalfPrecision.floatToBfloat16(value)).isEqualTo((short) Integer.parseInt(hex, 16));
  }

  @Test
  void nanStaysNanInBfloat16() {
    assertThat(HalfPrecision.bfloat16ToFloat(HalfPrecision.floatToBfloat16(Float.NaN))).isNaN();
  }
}
