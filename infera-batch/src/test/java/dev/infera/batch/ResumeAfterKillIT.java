package dev.infera.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job killed with SIGKILL, or stopped with SIGTERM (as Ctrl-C stops it), part-way (a real child
 * process running {@code infera batch}) and resumed writes every row exactly once.
 */
class ResumeAfterKillIT {
  private static final int ROWS = 40_000;
  private static final int PARTITION_ROWS = 1_000;

  @TempDir Path dir;

  @Test
  void aKilledJobResumedHoldsEveryRowExactlyOnce() throws Exception {
    Path input = Tables.csv(dir.resolve("in.csv"), Tables.features(ROWS, 64, 11));
    Path output = dir.resolve("out");
    Process child = startJob(input, output);
    int committedAtKill;
    try {
      committedAtKill = awaitCommittedPartitions(output, 2, child);
    } finally {
      child.destroyForcibly(); // SIGKILL
      child.waitFor(60, TimeUnit.SECONDS);
    }
    assertThat(committedAtKill)
        .as("the child was killed part-way (log: %s)", Files.readString(dir.resolve("child.log")))
        .isBetween(2, ROWS / PARTITION_ROWS - 1);

    assertResumedHoldsEveryRowOnce(input, output, committedAtKill);
  }

  @Test
  void aJobStoppedByASignalCleansUpSaysSoAndResumes() throws Exception {
    Path input = Tables.csv(dir.resolve("in.csv"), Tables.features(ROWS, 64, 11));
    Path output = dir.resolve("out");
    Process child = startJob(input, output);
    int committedAtStop;
    boolean ended;
    try {
      committedAtStop = awaitCommittedPartitions(output, 2, child);
      child.destroy(); // SIGTERM: the shutdown Ctrl-C starts too
      ended = child.waitFor(60, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly();
    }
    String log = Files.readString(dir.resolve("child.log"));

    assertThat(ended).as(log).isTrue();
    assertThat(log).contains("cancelled; committed partitions stay for --resume");
    assertThat(child.exitValue()).as(log).isEqualTo(128 + 15);
    try (var files = Files.list(output)) {
      assertThat(files.map(Path::toString))
          .as("the open partition's files were deleted")
          .noneMatch(name -> name.endsWith(".tmp"));
    }
    assertResumedHoldsEveryRowOnce(input, output, committedAtStop);
  }

  /** A child JVM running {@code infera batch} on {@code input}, its output in child.log. */
  private Process startJob(Path input, Path output) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                // ONNX Runtime unpacks its libraries there, and a killed child leaves them
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.infera.batch.cli.BatchCommand"));
    command.addAll(
        Tables.batchArguments(
            input,
            output,
            "--partition-rows",
            Integer.toString(PARTITION_ROWS),
            "--parallelism",
            "1",
            "--progress",
            "none"));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile())
        .start();
  }

  /** Resumes the job in-process: every row is then written exactly once, in input order. */
  private static void assertResumedHoldsEveryRowOnce(Path input, Path output, int committedBefore)
      throws Exception {
    JobSummary summary;
    try (LocalEngine engine = LocalEngine.load(Tables.examples(), "tabular_mlp")) {
      summary =
          new BatchJob(
                  BatchOptions.of("tabular_mlp", List.of(input), output)
                      .withPartitionRows(PARTITION_ROWS)
                      .withResume(true),
                  engine.access())
              .run();
    }

    assertThat(summary.resumedPartitions()).isGreaterThanOrEqualTo(committedBefore);
    assertThat(summary.rowsOut()).isEqualTo(ROWS);
    List<Map<String, String>> rows = Tables.readOutputs(output);
    assertThat(rows).hasSize(ROWS);
    Set<String> ids = new HashSet<>();
    for (int r = 0; r < ROWS; r++) {
      assertThat(rows.get(r).get("id")).isEqualTo("r" + (r + 1));
      assertThat(ids.add(rows.get(r).get("id"))).isTrue();
    }
    try (var files = Files.list(output)) {
      assertThat(files.map(Path::toString)).noneMatch(name -> name.endsWith(".tmp"));
    }
  }

  /** Waits (polling the manifest) until it names {@code wanted} partitions; returns how many. */
  private static int awaitCommittedPartitions(Path output, int wanted, Process child)
      throws Exception {
    Path manifest = output.resolve("_manifest.json");
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline && child.isAlive()) {
      if (Files.exists(manifest)) {
        try {
          JsonNode partitions = json.readTree(manifest.toFile()).get("partitions");
          if (partitions != null && partitions.size() >= wanted) {
            return partitions.size();
          }
        } catch (java.io.IOException renamedWhileReading) {
          // read again
        }
      }
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(5);
    }
    throw new AssertionError("the child committed fewer than " + wanted + " partitions in time");
  }
}
