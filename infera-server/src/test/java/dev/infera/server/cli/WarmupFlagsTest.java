package dev.infera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WarmupFlagsTest {
  private static ServeCommand parse(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve;
  }

  @Test
  void theWarmupIsOnByDefaultWithATenSecondCap() {
    ServeCommand serve = parse();
    assertThat(serve.warmup).isTrue();
    assertThat(serve.warmupSeconds).isEqualTo(10);
  }

  @Test
  void warmupFalseTurnsItOff() {
    assertThat(parse("--warmup=false").warmup).isFalse();
    assertThat(parse("--warmup", "false").warmup).isFalse();
  }

  @Test
  void warmupSecsSetsTheCap() {
    assertThat(parse("--warmup-secs", "3").warmupSeconds).isEqualTo(3);
  }

  @Test
  void aCapBelowOneSecondIsRefusedNamingTheFlag() {
    ServeCommand serve = new ServeCommand();
    CommandLine line = new CommandLine(serve);
    java.io.StringWriter err = new java.io.StringWriter();
    line.setErr(new java.io.PrintWriter(err));
    int code = line.execute("--warmup-secs", "0", "--model-repository", "/nonexistent");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--warmup-secs 0").contains("--warmup=false");
  }
}
