package dev.infera.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthConfigFileTest {
  private static final String HASH = HexFormat.of().formatHex(ApiKeyStore.sha256("secret-1"));
  private static final String OTHER = HexFormat.of().formatHex(ApiKeyStore.sha256("secret-2"));

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void yamlFileGivesKeysWithTheirRoles() throws IOException {
    Path file =
        write(
            "auth.yaml",
            "keys:\n"
                + "  - name: scoring\n"
                + "    sha256: "
                + HASH
                + "\n"
                + "    roles: [infer, read]\n"
                + "  - name: ops\n"
                + "    sha256: "
                + OTHER.toUpperCase()
                + "\n"
                + "    roles: [admin]\n");

    ApiKeyStore store = AuthConfigFile.read(file);

    assertThat(store.find("secret-1")).get().extracting(ApiKey::name).isEqualTo("scoring");
    assertThat(store.find("secret-1").get().roles())
        .containsExactlyInAnyOrder(Role.INFER, Role.READ);
    assertThat(store.find("secret-2").get().roles()).containsExactly(Role.ADMIN);
  }

  @Test
  void jsonFileIsReadByItsExtension() throws IOException {
    Path file =
        write(
            "auth.json",
            "{\"keys\": [{\"name\": \"a\", \"sha256\": \"" + HASH + "\", \"roles\": [\"read\"]}]}");

    assertThat(AuthConfigFile.read(file).find("secret-1")).isPresent();
  }

  @Test
  void everyProblemIsListedAtOnce() throws IOException {
    Path file =
        write(
            "auth.yaml",
            "keys:\n"
                + "  - name: a\n"
                + "    sha256: abc\n"
                + "    roles: [infer, root]\n"
                + "  - name: a\n"
                + "    sha256: "
                + HASH
                + "\n"
                + "    roles: [read]\n"
                + "    key: plain-text\n"
                + "extra: 1\n");

    AuthConfigException e =
        catchThrowableOfType(AuthConfigException.class, () -> AuthConfigFile.read(file));

    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "unknown field 'extra' (expected 'keys')",
            "keys[0]: sha256 must be 64 hexadecimal digits (`infera auth hash-key`)",
            "keys[0]: unknown role \"root\" (expected infer, read or admin)",
            "keys[1]: unknown field 'key' (expected name, sha256, roles)",
            "keys[1]: name 'a' is used by another key");
  }

  @Test
  void theSameHashTwiceIsAProblem() throws IOException {
    Path file =
        write(
            "auth.yaml",
            "keys:\n"
                + "  - {name: a, sha256: "
                + HASH
                + ", roles: [read]}\n"
                + "  - {name: b, sha256: "
                + HASH.toUpperCase()
                + ", roles: [admin]}\n");

    AuthConfigException e =
        catchThrowableOfType(AuthConfigException.class, () -> AuthConfigFile.read(file));

    assertThat(e.problems()).containsExactly("keys[1]: the same key hash appears in another entry");
  }

  @Test
  void anEmptyKeyListIsRefused() throws IOException {
    Path file = write("auth.yaml", "keys: []\n");

    AuthConfigException e =
        catchThrowableOfType(AuthConfigException.class, () -> AuthConfigFile.read(file));

    assertThat(e.problems())
        .containsExactly("'keys' must be a non-empty list of {name, sha256, roles}");
  }

  @Test
  void malformedYamlNamesTheLine() throws IOException {
    Path file = write("auth.yaml", "keys:\n  - name: [unclosed\n");

    AuthConfigException e =
        catchThrowableOfType(AuthConfigException.class, () -> AuthConfigFile.read(file));

    assertThat(e.getMessage()).contains("auth.yaml").contains("line ");
  }

  @Test
  void aMissingFileSaysSo() {
    AuthConfigException e =
        catchThrowableOfType(
            AuthConfigException.class, () -> AuthConfigFile.read(dir.resolve("absent.yaml")));

    assertThat(e.getMessage()).contains("absent.yaml").contains("does not exist");
  }

  @Test
  void aYamlSyntaxErrorIsOneLineSayingWhatWasExpected() throws IOException {
    Path file = dir.resolve("open.yaml");
    Files.writeString(file, "keys:\n  - name: a\n    key: [unclosed\n");

    AuthConfigException e =
        catchThrowableOfType(AuthConfigException.class, () -> AuthConfigFile.read(file));

    assertThat(e.getMessage())
        .contains("open.yaml")
        .contains("while parsing a flow sequence: expected ',' or ']', but got <stream end>")
        .doesNotContain("\n")
        .doesNotContain("in 'reader'");
  }
}
