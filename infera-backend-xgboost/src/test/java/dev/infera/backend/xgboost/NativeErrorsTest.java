package dev.infera.backend.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeErrorsTest {

  @Test
  void keepsTheFirstLineWithoutTimestampLocationOrStackTrace() {
    RuntimeException failure =
        new RuntimeException(
            "[01:54:42] /workspace/src/learner.cc:1310: Check failed: num_feature (64 vs. 65)\n"
                + "Stack trace:\n  [bt] (0) /tmp/libxgboost4j.so(dmlc::LogMessageFatal)");

    assertThat(NativeErrors.summary(failure)).isEqualTo("Check failed: num_feature (64 vs. 65)");
  }

  @Test
  void namesTheExceptionWhenThereIsNoMessage() {
    assertThat(NativeErrors.summary(new IllegalStateException()))
        .isEqualTo("IllegalStateException");
  }
}
