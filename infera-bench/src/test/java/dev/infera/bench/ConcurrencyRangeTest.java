package dev.infera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConcurrencyRangeTest {

  @Test
  void aRangeIncludesItsEndWhenTheStepLandsOnIt() {
    assertThat(ConcurrencyRange.parse("1:7:2").levels()).containsExactly(1, 3, 5, 7);
  }

  @Test
  void aRangeStopsBeforeTheEndWhenTheStepOvershoots() {
    assertThat(ConcurrencyRange.parse("1:8:4").levels()).containsExactly(1, 5);
  }

  @Test
  void theStepDefaultsToOneAndTheEndToTheStart() {
    assertThat(ConcurrencyRange.parse("2:4").levels()).containsExactly(2, 3, 4);
    assertThat(ConcurrencyRange.parse("16").levels()).containsExactly(16);
  }

  @Test
  void anEndBeforeTheStartIsRejected() {
    assertThatThrownBy(() -> ConcurrencyRange.parse("8:1"))
        .hasMessageContaining("1 <= start <= end");
  }

  @Test
  void nonIntegersAndExtraPartsAreRejected() {
    assertThatThrownBy(() -> ConcurrencyRange.parse("1:x"))
        .hasMessageContaining("'x' is not an integer");
    assertThatThrownBy(() -> ConcurrencyRange.parse("1:2:3:4"))
        .hasMessageContaining("start[:end[:step]]");
  }
}
