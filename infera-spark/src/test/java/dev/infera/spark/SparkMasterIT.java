package dev.infera.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.batch.Tables;
import dev.infera.batch.cli.BatchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A {@code --spark-master} Spark cannot start on is a bad option (exit 2, one line), not a stack
 * trace. No Spark session runs in this class, so the job starts its own. (A standalone master that
 * never answers fails the same way only after Spark's 60 s of registration retries: checked by
 * hand, docs/batch.md.)
 */
class SparkMasterIT {
  @TempDir Path dir;

  @Test
  void aMasterSparkCannotParseIsABadOptionWithoutAStackTrace() throws Exception {
    Path input = Files.writeString(dir.resolve("rows.csv"), "id,x\n1,2\n");
    StringWriter picocliErr = new StringWriter();
    CommandLine command = new CommandLine(new BatchCommand());
    command.setErr(new PrintWriter(picocliErr));

    int exit =
        command.execute(
            "--model-repository",
            Tables.examples().toString(),
            "--model",
            "tabular_mlp",
            "--input",
            input.toString(),
            "--output",
            dir.resolve("out").toString(),
            "--spark-master",
            "nosuch://127.0.0.1:1",
            "--progress",
            "none");

    assertThat(exit).isEqualTo(2);
    assertThat(picocliErr.toString()).isEmpty();
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aSparkFailureIsReportedAsItsFirstLine() {
    Exception failure =
        new Exception(
            "Job aborted due to stage failure: Task 0 in stage 1.0 failed\n"
                + "\tat org.apache.spark.scheduler.DAGScheduler.failJob(DAGScheduler.scala:1)");

    assertThat(SparkBatch.firstLine(failure))
        .isEqualTo("Job aborted due to stage failure: Task 0 in stage 1.0 failed");
    assertThat(SparkBatch.firstLine(new IllegalStateException()))
        .isEqualTo("IllegalStateException");
  }
}
