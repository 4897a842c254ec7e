package dev.infera.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.spi.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

  private static ScheduledRequest strings(String... values) {
    return new ScheduledRequest(
        List.of(
            Tensor.ofBytes(
                "TEXT",
                new long[] {values.length},
                List.of(values).stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList())),
        List.of("OUT"),
        1,
        0,
        Optional.empty());
  }

  @Test
  void sameContentGivesEqualKeys() {
    assertThat(CacheKey.of(1, "m", "1", strings("ab", "c")))
        .isEqualTo(CacheKey.of(1, "m", "1", strings("ab", "c")));
  }

  @Test
  void elementBoundariesArePartOfTheKey() {
    assertThat(CacheKey.of(1, "m", "1", strings("ab", "c")))
        .isNotEqualTo(CacheKey.of(1, "m", "1", strings("a", "bc")));
  }

  @Test
  void modelVersionAndGenerationArePartOfTheKey() {
    CacheKey key = CacheKey.of(1, "m", "1", strings("a"));

    assertThat(key).isNotEqualTo(CacheKey.of(2, "m", "1", strings("a")));
    assertThat(key).isNotEqualTo(CacheKey.of(1, "m", "2", strings("a")));
    assertThat(key).isNotEqualTo(CacheKey.of(1, "n", "1", strings("a")));
  }
}
