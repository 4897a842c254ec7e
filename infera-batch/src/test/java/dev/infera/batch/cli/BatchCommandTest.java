package dev.infera.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.batch.LocalEngine;
import dev.infera.batch.Tables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  @Test
  void aParquetJobRunsThroughTheCommand(@TempDir Path dir) throws Exception {
    // The command loads DuckDB's library while the model loads (DuckDb.openedAhead); the job then
    // reads and writes Parquet through it.
    Path input = Tables.parquet(dir.resolve("rows.parquet"), Tables.features(300, 64, 3));
    Path output = dir.resolve("out");
    Result result =
        execute(
            Tables.batchArguments(input, output, "--partition-rows", "128", "--progress", "none")
                .toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<Map<String, String>> rows = Tables.readOutputs(output);
    assertThat(rows).hasSize(300);
    assertThat(Tables.parts(output)).hasSize(3);
    assertThat(rows.get(0)).containsKeys("probabilities_0", "probabilities_1");
  }

  @Test
  void moreInstancesScoreTheSameRowsInTheSameOrder(@TempDir Path dir) throws Exception {
    Path input = Tables.parquet(dir.resolve("rows.parquet"), Tables.features(3000, 64, 5));
    List<List<Map<String, String>>> outputs = new java.util.ArrayList<>();
    for (String instances : List.of("configured", "2", "auto")) {
      Path output = dir.resolve("out-" + instances);
      Result result =
          execute(
              Tables.batchArguments(
                      input,
                      output,
                      "--instances",
                      instances,
                      "--partition-rows",
                      "1000",
                      "--progress",
                      "none")
                  .toArray(String[]::new));
      assertThat(result.exitCode()).as(result.err()).isZero();
      outputs.add(Tables.readOutputs(output));
    }
    assertThat(outputs.get(0)).hasSize(3000);
    assertThat(outputs.get(1)).isEqualTo(outputs.get(0));
    assertThat(outputs.get(2)).isEqualTo(outputs.get(0));
  }

  @Test
  void theInstancesFillTheCoresByDefaultAndFollowTheFlag(@TempDir Path dir) {
    Path input = dir.resolve("rows.parquet");
    Path output = dir.resolve("out");
    // tabular_mlp: one instance of one intra-op thread, as configured for online latency
    Map<String, Integer> expected =
        Map.of(
            "",
            Runtime.getRuntime().availableProcessors(),
            "auto",
            Runtime.getRuntime().availableProcessors(),
            "configured",
            1,
            "3",
            3);
    expected.forEach(
        (flag, instances) -> {
          BatchCommand command = new BatchCommand();
          List<String> arguments = new java.util.ArrayList<>(Tables.batchArguments(input, output));
          if (!flag.isEmpty()) {
            arguments.addAll(List.of("--instances", flag));
          }
          new CommandLine(command).parseArgs(arguments.toArray(String[]::new));
          try (LocalEngine engine = command.loadEngine()) {
            assertThat(engine.instances("tabular_mlp")).as(flag).isEqualTo(instances);
          }
        });
  }

  @Test
  void aBadInstanceCountIsNamed(@TempDir Path dir) {
    Path input = dir.resolve("rows.parquet");
    Path output = dir.resolve("out");
    // The command prints its own errors to the process's standard error; its options are
    // checked here directly.
    BatchCommand zero = new BatchCommand();
    new CommandLine(zero)
        .parseArgs(Tables.batchArguments(input, output, "--instances", "0").toArray(String[]::new));
    assertThatThrownBy(zero::options)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--instances '0' (expected a count >= 1, auto or configured)");
    BatchCommand word = new BatchCommand();
    new CommandLine(word)
        .parseArgs(
            Tables.batchArguments(input, output, "--instances", "all").toArray(String[]::new));
    assertThatThrownBy(word::options)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--instances 'all' (expected a count >= 1, auto or configured)");
    BatchCommand autoOnSpark = new BatchCommand();
    new CommandLine(autoOnSpark)
        .parseArgs(
            Tables.batchArguments(
                    input, output, "--instances", "auto", "--spark-master", "local[2]")
                .toArray(String[]::new));
    assertThatThrownBy(autoOnSpark::options)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--instances auto is for local mode");

    assertThat(
            execute(Tables.batchArguments(input, output, "--instances", "0").toArray(String[]::new))
                .exitCode())
        .isEqualTo(2);
    assertThat(output).doesNotExist();

    BatchCommand tooMany = new BatchCommand();
    new CommandLine(tooMany)
        .parseArgs(
            Tables.batchArguments(input, output, "--instances", "100000").toArray(String[]::new));
    assertThatThrownBy(tooMany::loadEngine)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("instance_group: 100000 instances in all are over the limit")
        .hasMessageEndingWith("(--instances 100000 sets each instance group's count)");
  }

  @Test
  void anOutputThatIsAFileIsRefusedWithTheOptionsBeforeTheModelLoads(@TempDir Path dir)
      throws Exception {
    Path output = java.nio.file.Files.writeString(dir.resolve("out"), "a file");
    BatchCommand command = new BatchCommand();
    new CommandLine(command)
        .parseArgs(
            Tables.batchArguments(dir.resolve("rows.parquet"), output).toArray(String[]::new));

    assertThatThrownBy(command::options)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--output '"
                + output
                + "': it is a file, not a folder (expected the job's output folder)");
  }
}
