package dev.infera.server.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"simple", "resnet-18_v2", "a.b", "模型"})
  void ordinaryNamesPass(String name) {
    assertThatCode(() -> ClientNames.checkModel(name)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", ".hidden", "../etc", "a/b", "a\\b", "a\u0000b", "a\nb"})
  void namesThatCouldReachOtherFilesAreInvalid(String name) {
    assertThatThrownBy(() -> ClientNames.checkModel(name))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageStartingWith("model name '")
        .hasMessageNotContaining("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "42", "9223372036854775807"})
  void decimalVersionsPass(String version) {
    assertThatCode(() -> ClientNames.checkVersion(version)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "1.0", "v1", "..", "1/2", "12345678901234567890"})
  void otherVersionsAreInvalid(String version) {
    assertThatThrownBy(() -> ClientNames.checkVersion(version))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("expected a non-negative integer");
  }
}
