package dev.infera.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that decoding fails with INVALID_ARGUMENT and a message naming what was wrong. */
final class InvalidArgument {
  private InvalidArgument() {}

  static void assertThrownBy(ThrowingCallable call, String... messageParts) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains(messageParts);
            });
  }
}
