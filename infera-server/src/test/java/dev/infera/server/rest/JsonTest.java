package dev.infera.server.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  private static InferenceException refused(String body) {
    return catchThrowableOfType(
        InferenceException.class, () -> Json.parseObject(body.getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n\t "})
  void anEmptyOrBlankBodyIsAnEmptyObject(String body) {
    assertThat(Json.parseObject(body.getBytes(StandardCharsets.UTF_8)).isEmpty()).isTrue();
  }

  @Test
  void anObjectIsReadAsSent() {
    assertThat(Json.parseObject("{\"model\": \"m\"}".getBytes(StandardCharsets.UTF_8)))
        .hasToString("{\"model\":\"m\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1]", "3", "\"text\"", "null"})
  void aBodyThatIsNotAnObjectIsRefusedSayingSo(String body) {
    InferenceException e = refused(body);

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage()).isEqualTo("request body (expected a JSON object)");
  }

  @Test
  void anUnclosedArrayNamesWhereItBeganInPlainWords() {
    InferenceException e = refused("{\"inputs\": [");

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage())
        .startsWith("request body is not valid JSON: ")
        .contains("expected close marker for Array (start marker at line 1, column 12)")
        .doesNotContain("Source")
        .doesNotContain("REDACTED")
        .doesNotContain("\n");
  }

  @Test
  void bytesThatAreNotJsonAreRefusedWithoutParserNames() {
    InferenceException e = refused("{\"a\": x}");

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage())
        .startsWith("request body is not valid JSON: Unrecognized token 'x'")
        .doesNotContain("Source")
        .doesNotContain("\n");
  }

  @Test
  void nestingBeyondTheLimitIsNamedInTheProtocolsWords() {
    InferenceException e = refused("{\"a\":" + "[".repeat(Json.MAX_NESTING_DEPTH + 5));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage())
        .isEqualTo(
            "request body: JSON nesting depth exceeds the maximum allowed ("
                + Json.MAX_NESTING_DEPTH
                + ")");
  }
}
