package dev.infera.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed request options, their validation, and what the request derives from them. */
class RequestOptionsTest {

  @Test
  void outputsTheRequestDoesNotNameTakeTheDefaults() {
    OutputOptions binary = OutputOptions.DEFAULT.withBinary(true);
    InferenceRequest request =
        new InferenceRequest(
            "m",
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            List.of(),
            List.of(new RequestedOutput("a", OutputOptions.DEFAULT.withClassCount(2))),
            RequestOptions.builder().outputDefaults(binary).build());

    assertThat(request.outputOptions("a").classCount()).isEqualTo(2);
    assertThat(request.outputOptions("b")).isEqualTo(binary);
  }

  @Test
  void invalidValuesAreRefused() {
    assertThatThrownBy(() -> RequestOptions.builder().priority(-1).build())
        .hasMessageContaining("priority -1");
    assertThatThrownBy(() -> RequestOptions.builder().timeout(Duration.ZERO).build())
        .hasMessageContaining("expected positive");
    assertThatThrownBy(() -> RequestOptions.builder().parameter("x", List.of()).build())
        .hasMessageContaining("parameter 'x'");
  }

  @Test
  void customParametersAreKept() {
    assertThat(RequestOptions.builder().parameter("tag", "t").build().parameters())
        .isEqualTo(Map.of("tag", "t"));
  }

  @Test
  void deadlinesSaturateAndTellTheTimeLeft() {
    Deadline far = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE), 10);
    Deadline soon = Deadline.after(Duration.ofNanos(100), 1_000);

    assertThat(far.nanoTime()).isEqualTo(Long.MAX_VALUE);
    assertThat(soon.remaining(1_040)).isEqualTo(Duration.ofNanos(60));
    assertThat(soon.hasPassed(1_099)).isFalse();
    assertThat(soon.hasPassed(1_100)).isTrue();
  }

  @Test
  void traceContextFollowsW3cRules() {
    String valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    assertThat(TraceContext.of(valid, " a=1 ").orElseThrow().tracestate()).contains("a=1");
    assertThat(TraceContext.of(valid, null).orElseThrow().parentSpanId())
        .isEqualTo("b7ad6b7169203331");
    assertThat(TraceContext.of("00-00000000000000000000000000000000-b7ad6b7169203331-01", null))
        .isEmpty();
    assertThat(TraceContext.of("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null))
        .isEmpty();
    assertThat(TraceContext.of(valid + "-extra", null)).isEmpty();
    assertThat(TraceContext.of(null, "a=1")).isEmpty();
  }
}
