package dev.infera.bench.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapeOverrideTest {

  @Test
  void parsesNameAndDimensions() {
    ShapeOverride override = ShapeOverride.parse("input_ids:1, 16");

    assertThat(override.name()).isEqualTo("input_ids");
    assertThat(override.dims()).containsExactly(1, 16);
  }

  @Test
  void theLastColonSeparatesSoNamesMayHoldColons() {
    assertThat(ShapeOverride.parse("ns:input:3").name()).isEqualTo("ns:input");
  }

  @Test
  void aMissingNameOrDimensionsIsRejected() {
    assertThatThrownBy(() -> ShapeOverride.parse("input_ids"))
        .hasMessageContaining("expected NAME:d1,d2");
    assertThatThrownBy(() -> ShapeOverride.parse(":3")).hasMessageContaining("expected NAME");
    assertThatThrownBy(() -> ShapeOverride.parse("x:")).hasMessageContaining("expected NAME");
  }

  @Test
  void nonPositiveOrNonNumericDimensionsAreRejected() {
    assertThatThrownBy(() -> ShapeOverride.parse("x:0")).hasMessageContaining("dimension '0'");
    assertThatThrownBy(() -> ShapeOverride.parse("x:4,a")).hasMessageContaining("dimension 'a'");
  }
}
