package dev.infera.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyStoreTest {
  private final ApiKeyStore store =
      new ApiKeyStore(
          List.of(
              new ApiKey("a", ApiKeyStore.sha256("key-a"), Set.of(Role.READ)),
              new ApiKey("b", ApiKeyStore.sha256("key-b"), Set.of(Role.ADMIN))));

  @Test
  void aKeyIsFoundByItsHash() {
    assertThat(store.find("key-b")).get().extracting(ApiKey::name).isEqualTo("b");
  }

  @Test
  void anUnknownKeyIsNotFound() {
    assertThat(store.find("key-c")).isEmpty();
    assertThat(store.find("")).isEmpty();
  }

  @Test
  void sha256IsTheHexDigestOfTheUtf8Bytes() {
    assertThat(HexFormat.of().formatHex(ApiKeyStore.sha256("abc")))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void repeatedNamesAreRefused() {
    ApiKey one = new ApiKey("a", ApiKeyStore.sha256("1"), Set.of());
    ApiKey two = new ApiKey("a", ApiKeyStore.sha256("2"), Set.of());

    assertThatThrownBy(() -> new ApiKeyStore(List.of(one, two))).hasMessageContaining("'a'");
  }

  @Test
  void toStringNeverShowsMoreThanTheHash() {
    assertThat(store.keys().get(0).toString()).doesNotContain("key-a").contains("a");
  }
}
