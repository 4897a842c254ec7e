package dev.infera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infera models} flags refused before any request is sent (no server needed). */
class ModelsCommandTest {
  @Test
  void aTimeoutBelowOneSecondIsRefusedNamingItsFlag() {
    CommandRun run = CommandRun.of("models", "index", "--timeout-secs", "0");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("--timeout-secs 0 (expected 1 or more)")
        .doesNotContain("PT0S", "Invalid duration");
  }

  @Test
  void aConfigFileThatDoesNotExistIsRefusedNamingItsFlag(@TempDir Path dir) {
    Path missing = dir.resolve("nofile.json");

    CommandRun run = CommandRun.of("models", "load", "--config", "@" + missing, "m");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("--config @" + missing + ": no such file")
        .doesNotContain("NoSuchFileException", "java.nio");
  }

  @Test
  void aConfigFolderIsRefusedWithTheReason(@TempDir Path dir) {
    CommandRun run = CommandRun.of("models", "load", "--config", "@" + dir, "m");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("--config @" + dir + ": cannot read it: ")
        .doesNotContain("java.");
  }
}
