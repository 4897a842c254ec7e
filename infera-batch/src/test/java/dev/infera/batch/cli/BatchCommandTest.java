package dev.infera.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BatchCommandTest {
  private record Result(int exitCode, String out, String err) {}

  private static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        new CommandLine(new BatchCommand())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  @Test
  void helpPrintsTheUsageAndSucceedsWithoutTheRequiredOptions() {
    for (String flag : new String[] {"--help", "-h"}) {
      Result result = execute(flag);
      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(result.out())
          .contains("Usage: batch")
          .contains("--model-repository=DIR")
          .contains("-h, --help")
          .contains("--version=V");
      assertThat(result.err()).isEmpty();
    }
  }

  @Test
  void missingRequiredOptionsAreNamedWithExitCode2() {
    Result result = execute("--model", "m");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("Missing required options")
        .contains("--model-repository=DIR")
        .contains("--input=PATH")
        .contains("--output=DIR");
  }
}
