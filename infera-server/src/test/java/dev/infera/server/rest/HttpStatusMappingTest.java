package dev.infera.server.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpStatus;
import dev.infera.spi.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HttpStatusMappingTest {
  private static final Map<ErrorCode, Integer> EXPECTED = new EnumMap<>(ErrorCode.class);

  static {
    EXPECTED.put(ErrorCode.INVALID_ARGUMENT, 400);
    EXPECTED.put(ErrorCode.NOT_FOUND, 404);
    EXPECTED.put(ErrorCode.UNAVAILABLE, 503);
    EXPECTED.put(ErrorCode.DEADLINE_EXCEEDED, 504);
    EXPECTED.put(ErrorCode.CANCELLED, 499);
    EXPECTED.put(ErrorCode.ALREADY_EXISTS, 400); // as Triton
    EXPECTED.put(ErrorCode.FAILED_PRECONDITION, 400);
    EXPECTED.put(ErrorCode.RESOURCE_EXHAUSTED, 413);
    EXPECTED.put(ErrorCode.UNAUTHENTICATED, 401);
    EXPECTED.put(ErrorCode.PERMISSION_DENIED, 403);
    EXPECTED.put(ErrorCode.UNIMPLEMENTED, 501);
    EXPECTED.put(ErrorCode.INTERNAL, 500);
  }

  @Test
  void expectationCoversEveryErrorCode() {
    assertThat(EXPECTED.keySet()).containsExactlyInAnyOrder(ErrorCode.values());
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void mapsEachCodeToItsStatus(ErrorCode code) {
    HttpStatus status = HttpStatusMapping.statusOf(code);

    assertThat(status.code()).isEqualTo(EXPECTED.get(code));
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void errorResponseUsesTheMappedStatusAndKeepsTheMessage(ErrorCode code) {
    var response =
        ErrorResponses.toAggregated(new dev.infera.spi.InferenceException(code, "input 'x': bad"));

    assertThat(response.status().code()).isEqualTo(EXPECTED.get(code));
    assertThat(response.contentUtf8()).isEqualTo("{\"error\":\"input 'x': bad\"}");
  }
}
