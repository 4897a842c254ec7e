package dev.infera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JobsDirFlagTest {
  private static String refusal(String... args) {
    CommandLine line = new CommandLine(new ServeCommand());
    StringWriter err = new StringWriter();
    line.setErr(new PrintWriter(err));
    assertThat(line.execute(args)).isEqualTo(2);
    return err.toString();
  }

  @Test
  void aJobsFolderThatDoesNotExistIsRefusedBeforeTheServerStarts(@TempDir Path dir) {
    Path missing = dir.resolve("jobs");

    assertThat(refusal("--jobs-dir", missing.toString()))
        .contains("--jobs-dir " + missing + " is not a folder");
    assertThat(Files.exists(missing)).isFalse();
  }

  @Test
  void aFileIsNotAJobsFolder(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("jobs.txt"), "x");

    assertThat(refusal("--jobs-dir", file.toString()))
        .contains("--jobs-dir " + file + " is not a folder");
  }
}
