package dev.infera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LimitFlagsTest {
  @TempDir Path repository;

  private String refusal(String... flags) {
    CommandLine line = new CommandLine(new ServeCommand());
    StringWriter err = new StringWriter();
    line.setErr(new PrintWriter(err));
    String[] args = new String[flags.length + 2];
    args[0] = "--model-repository";
    args[1] = repository.toString();
    System.arraycopy(flags, 0, args, 2, flags.length);
    assertThat(line.execute(args)).isEqualTo(2);
    return err.toString();
  }

  @Test
  void aLimitBelowItsMinimumIsRefusedNamingItsFlag() {
    assertThat(refusal("--max-connections", "0"))
        .contains("--max-connections 0 (expected 1 or more)")
        .doesNotContain("maxConnections");
    assertThat(refusal("--http2-max-concurrent-streams", "0"))
        .contains("--http2-max-concurrent-streams 0 (expected 1 or more)");
    assertThat(refusal("--max-buffered-request-bytes", "0"))
        .contains("--max-buffered-request-bytes 0 (expected 1 or more)");
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    assertThat(refusal("--request-timeout-secs", "-1", "--http1-max-header-bytes", "10"))
        .contains(
            "--request-timeout-secs -1 (expected 0 or more); --http1-max-header-bytes 10"
                + " (expected 1024 or more)");
  }
}
