package dev.infera.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CacheSettingsTest {

  @Test
  void parsesTritonsLocalSyntax() {
    assertThat(CacheSettings.parse("local,size=1048576")).isEqualTo(new CacheSettings(1048576));
  }

  @Test
  void listsEveryProblem() {
    assertThatThrownBy(() -> CacheSettings.parse("redis,size=lots"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache 'redis' (expected: local)")
        .hasMessageContaining("size 'lots' (expected a number of bytes)");
  }

  @Test
  void requiresASize() {
    assertThatThrownBy(() -> CacheSettings.parse("local"))
        .hasMessageContaining("no size (expected: local,size=BYTES)");
  }
}
