package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/infera batch} as a user runs it: mistakes in the input are named before any work. */
class BatchCommandIT {
  private static final Path EXAMPLES =
      Paths.get("..", "examples", "models").toAbsolutePath().normalize();

  /** {@code bin/infera batch} of tabular_mlp from {@code input} into {@code output}. */
  private static LauncherFlags.Run batch(Path input, Path output) throws Exception {
    return LauncherFlags.run(
        Map.of(),
        "batch",
        "--model-repository",
        EXAMPLES.toString(),
        "--model",
        "tabular_mlp",
        "--input",
        input.toString(),
        "--output",
        output.toString());
  }

  @Test
  void anInputThatDoesNotExistIsRefusedBeforeTheModelLoads(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.csv");

    LauncherFlags.Run run = batch(missing, dir.resolve("out"));

    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output())
        .contains("infera batch: input '" + missing + "' does not exist")
        .doesNotContain("loaded model")
        .doesNotContain("Exception");
    assertThat(Files.exists(dir.resolve("out"))).isFalse();
  }

  @Test
  void aFolderWithoutInputFilesIsRefusedBeforeTheModelLoads(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));

    LauncherFlags.Run run = batch(empty, dir.resolve("out"));

    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output())
        .contains("holds no .csv, .jsonl or .parquet files")
        .doesNotContain("loaded model");
  }
}
