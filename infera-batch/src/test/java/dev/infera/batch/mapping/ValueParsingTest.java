package dev.infera.batch.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Text values become the floats and doubles Java's own parser gives, bit for bit. */
class ValueParsingTest {

  @Test
  void textParsesToJavasOwnFloatAndDoubleBitForBit() {
    Random random = new Random(42);
    String[] edges = {
      "0",
      "-0",
      "1.4e-45",
      "7e-46",
      "3.4028235e38",
      "3.4028236e38",
      "1e39",
      "+1.5",
      ".5",
      "5.",
      "1E5",
      "0.1",
      "1.00000017881393432617187499",
      "1.000000178813934326171875",
      "1.00000017881393432617187501",
      "4.9e-324",
      "1e-400",
      "NaN",
      "Infinity",
      "-Infinity",
      " 2.5 "
    };
    for (String edge : edges) {
      assertSameAsJava(edge);
    }
    for (int i = 0; i < 200_000; i++) {
      String text =
          switch (i % 3) {
            case 0 -> Float.toString(Float.intBitsToFloat(random.nextInt()));
            case 1 ->
                Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(60) - 30));
            default ->
                String.format(
                    Locale.ROOT,
                    "%." + (1 + random.nextInt(25)) + "e",
                    random.nextDouble() * Math.pow(10, random.nextInt(90) - 45));
          };
      assertSameAsJava(text);
    }
  }

  @Test
  void whatATableShouldNotHoldIsRefused() {
    for (String bad : new String[] {"", " ", "abc", "1.2.3", "1e", "0x10", "0X1p3", "1.5f", "2d"}) {
      assertThatThrownBy(() -> ValueParsing.toDouble(bad, true))
          .as(bad)
          .isInstanceOf(NumberFormatException.class);
      assertThatThrownBy(() -> ValueParsing.toDouble(bad, false))
          .as(bad)
          .isInstanceOf(NumberFormatException.class);
    }
  }

  private static void assertSameAsJava(String text) {
    float asFloat = (float) ValueParsing.toDouble(text, true);
    double asDouble = ValueParsing.toDouble(text, false);
    assertThat(Float.floatToIntBits(asFloat))
        .as("float of '%s'", text)
        .isEqualTo(Float.floatToIntBits(Float.parseFloat(text.trim())));
    assertThat(Double.doubleToLongBits(asDouble))
        .as("double of '%s'", text)
        .isEqualTo(Double.doubleToLongBits(Double.parseDouble(text.trim())));
  }
}
