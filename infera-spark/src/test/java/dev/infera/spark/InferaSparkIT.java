package dev.infera.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.batch.LocalEngine;
import dev.infera.batch.Tables;
import dev.infera.batch.cli.BatchCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Spark path against the local path: real Spark in {@code local[2]} (one session for the
 * class), real engine and backends (examples/models), the same input files, {@code infera batch}
 * with and without {@code --spark-master}; outputs compared value by value (floats by their exact
 * shortest decimal, so bit for bit).
 */
class InferaSparkIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("InferaSparkIT")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static int batch(String... args) {
    return new CommandLine(new BatchCommand()).execute(args);
  }

  /** Runs the same job locally and on Spark; returns {local output, Spark output}. */
  private Path[] both(String model, Path input, String... extra) {
    return both(model, input.toString(), extra);
  }

  /** As above, with {@code --input} as given (files separated by commas). */
  private Path[] both(String model, String input, String... extra) {
    Path local = dir.resolve("local");
    Path onSpark = dir.resolve("spark");
    List<String> common =
        new ArrayList<>(
            List.of(
                "--model-repository",
                Tables.examples().toString(),
                "--model",
                model,
                "--input",
                input,
                "--progress",
                "none"));
    common.addAll(List.of(extra));
    List<String> localArgs = new ArrayList<>(common);
    localArgs.addAll(List.of("--output", local.toString()));
    List<String> sparkArgs = new ArrayList<>(common);
    sparkArgs.addAll(
        List.of("--output", onSpark.toString(), "--spark-master", "local[2]", "--partitions", "3"));
    assertThat(batch(localArgs.toArray(String[]::new))).isZero();
    assertThat(batch(sparkArgs.toArray(String[]::new))).isZero();
    return new Path[] {local, onSpark};
  }

  /** Output rows by id (Spark's partitions are not in input order after --partitions). */
  private static Map<String, Map<String, String>> byId(Path folder, String idColumn)
      throws Exception {
    Map<String, Map<String, String>> rows = new TreeMap<>();
    for (Map<String, String> row : Tables.readOutputs(folder)) {
      assertThat(rows.put(row.get(idColumn), row)).as("id %s twice", row.get(idColumn)).isNull();
    }
    return rows;
  }

  /** Reject reasons by id, from the part files of {@code _rejects/}. */
  private static Map<String, String> rejects(Path folder) throws IOException {
    Map<String, String> reasons = new TreeMap<>();
    Path rejects = folder.resolve("_rejects");
    if (!Files.isDirectory(rejects)) {
      return reasons;
    }
    try (Stream<Path> files = Files.list(rejects)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            JsonNode node = JSON.readTree(line);
            reasons.put(node.path("id").asText(), node.get("reason").asText());
          }
        }
      }
    }
    return reasons;
  }

  @Test
  void tabularMlpFromCsvEqualsTheLocalModeBitForBit() throws Exception {
    Path input = Tables.csv(dir.resolve("rows.csv"), Tables.features(700, 64, 11));

    Path[] out = both("tabular_mlp", input);

    Map<String, Map<String, String>> local = byId(out[0], "id");
    assertThat(local).hasSize(700);
    assertThat(byId(out[1], "id")).isEqualTo(local);
    assertThat(Tables.parts(out[1])).allMatch(p -> p.getFileName().toString().endsWith(".csv"));
    assertThat(Files.readString(out[1].resolve("_summary.json"))).contains("\"rowsOut\" : 700");
  }

  @Test
  void withoutAnIdColumnRowsAreNumberedInTheInputsOrderAsLocally() throws Exception {
    // No id column: rows are numbered. The second file is the larger (Spark would read it first
    // if it read both together), and --partitions 3 must not deal the rows out of order.
    Path small = featuresOnly(dir.resolve("a.csv"), Tables.features(150, 64, 21));
    Path large = featuresOnly(dir.resolve("b.csv"), Tables.features(450, 64, 22));

    Path[] out = both("tabular_mlp", small + "," + large);

    Map<String, Map<String, String>> local = byId(out[0], "row");
    assertThat(local).hasSize(600);
    assertThat(byId(out[1], "row")).isEqualTo(local);
  }

  @Test
  void aFileWithOtherColumnsIsRefusedOnSparkToo() throws Exception {
    Path first = featuresOnly(dir.resolve("a.csv"), Tables.features(10, 64, 23));
    Path other = Files.writeString(dir.resolve("b.csv"), "x,y\n1,2\n");
    String[] args = {
      "--model-repository",
      Tables.examples().toString(),
      "--model",
      "tabular_mlp",
      "--input",
      first + "," + other,
      "--output",
      dir.resolve("spark").toString(),
      "--spark-master",
      "local[2]",
      "--progress",
      "none"
    };

    assertThat(batch(args)).isEqualTo(2);
  }

  /** A CSV of the features alone, columns f0..f63: no id column. */
  private static Path featuresOnly(Path file, float[][] rows) throws IOException {
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < rows[0].length; i++) {
      csv.append(i == 0 ? "" : ",").append('f').append(i);
    }
    csv.append('\n');
    for (float[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        csv.append(i == 0 ? "" : ",").append(row[i]);
      }
      csv.append('\n');
    }
    return Files.writeString(file, csv);
  }

  @Test
  void xgbTabularFromParquetEqualsTheLocalModeBitForBit() throws Exception {
    float[][] rows = Tables.features(500, 64, 12);
    rows[7][3] = Float.POSITIVE_INFINITY; // XGBoost refuses it: the batch is retried row by row
    Path input = Tables.parquet(dir.resolve("rows.parquet"), rows);

    Path[] out = both("xgb_tabular", input);

    Map<String, String> refused = rejects(out[0]);
    assertThat(refused).containsOnlyKeys("8");
    assertThat(rejects(out[1])).isEqualTo(refused);
    Map<String, Map<String, String>> local = byId(out[0], "id");
    assertThat(local).hasSize(499);
    assertThat(local.values().iterator().next())
        .containsKeys("probabilities_0", "probabilities_1", "margin");
    assertThat(byId(out[1], "id")).isEqualTo(local);
    assertThat(Tables.parts(out[1])).allMatch(p -> p.getFileName().toString().endsWith(".parquet"));
  }

  @Test
  void stringIdentityFromJsonLinesEqualsTheLocalMode() throws Exception {
    List<String> texts = List.of("plain", "with, comma", "quote \" inside", "emoji 🚀 ü", "x");
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < texts.size(); i++) {
      jsonl
          .append("{\"key\":\"k")
          .append(i)
          .append("\",\"text\":")
          .append(JSON.writeValueAsString(texts.get(i)))
          .append("}\n");
    }
    Path input = Files.writeString(dir.resolve("texts.jsonl"), jsonl, StandardCharsets.UTF_8);

    Path[] out =
        both(
            "string_identity",
            input,
            "--input-columns",
            "INPUT0=text",
            "--output-columns",
            "OUTPUT0=echo",
            "--id-column",
            "key");

    Map<String, Map<String, String>> local = byId(out[0], "key");
    assertThat(local.values()).extracting(row -> row.get("echo")).containsExactlyElementsOf(texts);
    assertThat(byId(out[1], "key")).isEqualTo(local);
  }

  @Test
  void stringIdentityFromCsvWithQuotesAndCommasEqualsTheLocalMode() throws Exception {
    List<String> texts = List.of("plain", "with, comma", "quote \" inside", "emoji 🚀 ü");
    Path input = Tables.texts(dir.resolve("texts.csv"), texts);

    Path[] out =
        both("string_identity", input, "--input-columns", "INPUT0=text", "--id-column", "key");

    Map<String, Map<String, String>> local = byId(out[0], "key");
    assertThat(local.values())
        .extracting(row -> row.get("OUTPUT0"))
        .containsExactlyElementsOf(texts);
    assertThat(byId(out[1], "key")).isEqualTo(local);
  }

  @Test
  void badRowsAreRejectedWithTheLocalModesReasons() throws Exception {
    float[][] rows = Tables.features(300, 64, 13);
    List<String> lines =
        new ArrayList<>(Files.readAllLines(Tables.csv(dir.resolve("good.csv"), rows)));
    lines.set(5, lines.get(5).replaceFirst(",[^,]+,", ",abc,")); // r5: text in f0
    lines.set(9, lines.get(9).replaceFirst(",[^,]+$", ",")); // r9: f63 empty
    lines.set(33, lines.get(33).replaceFirst(",[^,]+,", ",1e999x,")); // r33: not a number
    Path input = Files.write(dir.resolve("bad.csv"), lines, StandardCharsets.UTF_8);

    Path[] out = both("tabular_mlp", input);

    Map<String, String> local = rejects(out[0]);
    assertThat(local).hasSize(3);
    assertThat(local.get("r5")).contains("column 'f0' holds 'abc'");
    assertThat(local.get("r9")).contains("column 'f63' is empty");
    assertThat(rejects(out[1])).isEqualTo(local);
    assertThat(byId(out[1], "id")).isEqualTo(byId(out[0], "id")).hasSize(297);
    JsonNode summary = JSON.readTree(out[1].resolve("_summary.json").toFile());
    assertThat(summary.get("rowsIn").asLong()).isEqualTo(300);
    assertThat(summary.get("rejected").asLong()).isEqualTo(3);
    assertThat(summary.get("partitions")).hasSize(3);
  }

  @Test
  void theApiLoadsTheModelOncePerExecutorJvm() throws Exception {
    Path input = Tables.parquet(dir.resolve("api.parquet"), Tables.features(400, 64, 14));
    Dataset<Row> df = spark.read().parquet(input.toString()).repartition(4);

    InferaSpark.Scored first =
        InferaSpark.score(
            df, Tables.examples().toString(), "tabular_mlp", InferaSpark.Options.defaults());
    InferaSpark.Scored second =
        InferaSpark.score(
            df.repartition(3),
            Tables.examples().toString(),
            "tabular_mlp",
            InferaSpark.Options.defaults());

    assertThat(first.results().count()).isEqualTo(400);
    assertThat(second.results().count()).isEqualTo(400);
    assertThat(first.rejects().count()).isZero();
    assertThat(first.results().columns())
        .containsExactly("id", "probabilities_0", "probabilities_1");
    assertThat(sorted(second.results())).isEqualTo(sorted(first.results()));
    // local[2]: the driver and both executor threads share this JVM; 7 tasks, one load.
    ModelEngines.Key key =
        new ModelEngines.Key(
            Tables.examples().toAbsolutePath().normalize().toString(), "tabular_mlp", "");
    assertThat(ModelEngines.loads(key)).isEqualTo(1);
  }

  @Test
  void moreInstancesPerExecutorGiveTheLocalModesOutputs() throws Exception {
    Path input = Tables.parquet(dir.resolve("instances.parquet"), Tables.features(600, 64, 15));

    Path[] out = both("tabular_mlp", input, "--instances", "2");

    assertThat(byId(out[1], "id")).isEqualTo(byId(out[0], "id")).hasSize(600);
    // the Spark job's engine in this JVM is the one with two instances, loaded once
    ModelEngines.Key key =
        new ModelEngines.Key(
            Tables.examples().toAbsolutePath().normalize().toString(), "tabular_mlp", "", 2);
    assertThat(ModelEngines.loads(key)).isEqualTo(1);
    // one scheduler thread per instance: only an engine with two instances has a second one
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .contains("infera-exec-tabular_mlp-1-1");
  }

  private static List<String> sorted(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  @Test
  void aTaskThatStopsEarlyWithdrawsItsQueuedBatches() throws Exception {
    // slow_mlp: about 0.5 s per batch of 256 on one thread, so the task has queued 32 batches
    // (its parallelism) of its 48 before the first answer; `limit(1)` then ends the task.
    Path repository = Path.of(InferaSparkIT.class.getResource("/models").toURI());
    Path input = Tables.parquet(dir.resolve("early.parquet"), Tables.features(48 * 256, 64, 31));
    Dataset<Row> df = spark.read().parquet(input.toString()).coalesce(1);

    InferaSpark.Scored scored =
        InferaSpark.score(df, repository.toString(), "slow_mlp", InferaSpark.Options.defaults());
    List<Row> first = scored.all().limit(1).collectAsList();

    assertThat(first).hasSize(1);
    LocalEngine engine =
        ModelEngines.get(
            new ModelEngines.Key(
                repository.toAbsolutePath().normalize().toString(), "slow_mlp", ""));
    // The batch running when the task ended still finishes (one more allowed for a slow task end);
    // the others were withdrawn. Without the withdrawal all 32 are scored, one every half second
    // (1,792 rows after these 3 s, measured).
    Thread.sleep(3_000);
    long scoredRows = engine.rowsScored();
    assertThat(scoredRows).isLessThanOrEqualTo(3 * 256);
    Thread.sleep(1_500);
    assertThat(engine.rowsScored()).isEqualTo(scoredRows);
  }

  @Test
  void sparkOnlyOptionsAreExplained() {
    Path input = dir.resolve("x.csv");
    assertThatThrownBy(
            () ->
                new SparkBatch()
                    .run(
                        dev.infera.batch.BatchOptions.of(
                                "tabular_mlp", List.of(input), dir.resolve("o"))
                            .withResume(true),
                        Tables.examples(),
                        "local[2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--resume is for the local mode");
  }
}
