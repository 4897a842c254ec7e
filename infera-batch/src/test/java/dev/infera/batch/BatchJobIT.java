package dev.infera.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infera.batch.io.FileFormat;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch jobs over real files with the real engine and backends (examples/models). */
class BatchJobIT {
  private static LocalEngine mlp;
  private static LocalEngine xgb;
  private static LocalEngine strings;

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    mlp = LocalEngine.load(Tables.examples(), "tabular_mlp");
    xgb = LocalEngine.load(Tables.examples(), "xgb_tabular");
    strings = LocalEngine.load(Tables.examples(), "string_identity");
  }

  @AfterAll
  static void close() {
    mlp.close();
    xgb.close();
    strings.close();
  }

  /** Each row scored alone through the engine: the answers the job's rows must equal. */
  private static List<String> reference(LocalEngine engine, String model, float[] row, String out)
      throws Exception {
    ByteBuffer data = ByteBuffer.allocate(row.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : row) {
      data.putFloat(v);
    }
    InferenceResponse response =
        engine
            .access()
            .service()
            .infer(
                InferenceRequest.of(
                    model,
                    List.of(
                        Tensor.of(
                            "features", DataType.FP32, new long[] {1, row.length}, data.flip()))))
            .get();
    Tensor tensor =
        response.outputs().stream().filter(t -> t.name().equals(out)).findFirst().orElseThrow();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < tensor.elementCount(); i++) {
      values.add(Float.toString(tensor.data().getFloat(i * 4)));
    }
    return values;
  }

  private BatchOptions options(String model, Path input, String output) {
    return BatchOptions.of(model, List.of(input), dir.resolve(output)).withPartitionRows(128);
  }

  @Test
  void csvInCsvOutEqualsTheEngineRowByRowInInputOrder() throws Exception {
    float[][] rows = Tables.features(300, 64, 1);
    Path input = Tables.csv(dir.resolve("in.csv"), rows);

    JobSummary summary = new BatchJob(options("tabular_mlp", input, "out"), mlp.access()).run();

    assertThat(summary.rowsIn()).isEqualTo(300);
    assertThat(summary.rowsOut()).isEqualTo(300);
    assertThat(summary.rejected()).isZero();
    assertThat(summary.partitions()).hasSize(3);
    assertThat(Tables.parts(dir.resolve("out")))
        .extracting(p -> p.getFileName().toString())
        .containsExactly("part-00000.csv", "part-00001.csv", "part-00002.csv");
    List<Map<String, String>> out = Tables.readOutputs(dir.resolve("out"));
    assertThat(out).hasSize(300);
    for (int r = 0; r < rows.length; r++) {
      List<String> expected = reference(mlp, "tabular_mlp", rows[r], "probabilities");
      assertThat(out.get(r).get("id")).isEqualTo("r" + (r + 1));
      assertThat(List.of(out.get(r).get("probabilities_0"), out.get(r).get("probabilities_1")))
          .as("row %d", r)
          .isEqualTo(expected);
    }
    assertThat(summary.distribution()).containsKeys("probabilities_0", "probabilities_1");
    assertThat(summary.distribution().get("probabilities_0")).containsEntry("count", 300L);
    assertThat(dir.resolve("out").resolve(JobSummary.FILE)).exists();
  }

  @Test
  void jsonLinesArrayColumnInParquetOut() throws Exception {
    float[][] rows = Tables.features(200, 64, 2);
    Path input = Tables.jsonl(dir.resolve("in.jsonl"), rows);

    new BatchJob(options("tabular_mlp", input, "out").withFormat(FileFormat.PARQUET), mlp.access())
        .run();

    List<Map<String, String>> out = Tables.readOutputs(dir.resolve("out"));
    assertThat(Tables.parts(dir.resolve("out")).get(0).toString()).endsWith(".parquet");
    assertThat(out).hasSize(200);
    for (int r = 0; r < rows.length; r++) {
      assertThat(List.of(out.get(r).get("probabilities_0"), out.get(r).get("probabilities_1")))
          .isEqualTo(reference(mlp, "tabular_mlp", rows[r], "probabilities"));
    }
  }

  @Test
  void parquetInJsonLinesOutWithTwoOutputsOfXgboost() throws Exception {
    float[][] rows = Tables.features(150, 64, 3);
    Path input = Tables.parquet(dir.resolve("in.parquet"), rows);

    new BatchJob(options("xgb_tabular", input, "out").withFormat(FileFormat.JSONL), xgb.access())
        .run();

    List<Map<String, String>> out = Tables.readOutputs(dir.resolve("out"));
    assertThat(out).hasSize(150);
    for (int r = 0; r < rows.length; r++) {
      assertThat(out.get(r).get("id")).isEqualTo(Integer.toString(r + 1));
      assertThat(List.of(out.get(r).get("probabilities_0"), out.get(r).get("probabilities_1")))
          .isEqualTo(reference(xgb, "xgb_tabular", rows[r], "probabilities"));
      assertThat(out.get(r).get("margin"))
          .isEqualTo(reference(xgb, "xgb_tabular", rows[r], "margin").get(0));
    }
  }

  @Test
  void parquetInParquetOutKeepsAnIntegerId() throws Exception {
    float[][] rows = Tables.features(50, 64, 4);
    Path input = Tables.parquet(dir.resolve("in.parquet"), rows);

    new BatchJob(options("tabular_mlp", input, "out"), mlp.access()).run();

    List<Map<String, String>> out = Tables.readOutputs(dir.resolve("out"));
    assertThat(out).extracting(row -> row.get("id")).startsWith("1", "2", "3");
    assertThat(out.get(49).get("probabilities_1"))
        .isEqualTo(reference(mlp, "tabular_mlp", rows[49], "probabilities").get(1));
  }

  @Test
  void parquetTakesTheColumnarPathWithTheRowPathsOutputsAndRejectsBitForBit() throws Exception {
    float[][] rows = Tables.features(700, 64, 8);
    rows[299][10] = Float.NaN; // a value, not a null: scored (tabular_mlp takes NaN)
    Path plain = Tables.parquet(dir.resolve("plain.parquet"), rows);
    Path input = dir.resolve("in.parquet");
    Tables.sql( // nulls: a feature in rows 5 and 600 (chunk-inner and past a partition), an id
        "COPY (SELECT CASE WHEN id = 400 THEN NULL ELSE id END AS id, f0, f1, f2,"
            + " CASE WHEN id IN (5, 600) THEN NULL ELSE f3 END AS f3, COLUMNS('f([4-9]|[1-6][0-9])')"
            + " FROM read_parquet('"
            + plain
            + "')) TO '"
            + input
            + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");

    BatchJob columnar = new BatchJob(options("tabular_mlp", input, "columnar"), mlp.access());
    JobSummary fast = columnar.run();
    BatchJob rowByRow =
        new BatchJob(
            options("tabular_mlp", input, "rows"),
            mlp.access(),
            BatchJob.Reading.ON_JOB_THREAD,
            false);
    JobSummary slow = rowByRow.run();

    assertThat(columnar.columnar()).isTrue();
    assertThat(rowByRow.columnar()).isFalse();
    assertThat(fast.rowsOut()).isEqualTo(slow.rowsOut()).isEqualTo(697);
    assertThat(fast.rejected()).isEqualTo(3);
    assertThat(Tables.readOutputs(dir.resolve("columnar")))
        .isEqualTo(Tables.readOutputs(dir.resolve("rows")));
    for (int i = 0; i < Tables.parts(dir.resolve("rows")).size(); i++) {
      assertThat(Tables.parts(dir.resolve("columnar")).get(i))
          .hasSameBinaryContentAs(Tables.parts(dir.resolve("rows")).get(i));
    }
    List<JsonNode> rejects = Tables.rejects(dir.resolve("columnar"));
    assertThat(rejects).isEqualTo(Tables.rejects(dir.resolve("rows")));
    assertThat(rejects).extracting(r -> r.get("row").asLong()).containsExactly(5L, 400L, 600L);
    assertThat(rejects.get(0).get("reason").asText()).contains("column 'f3' is empty");
    assertThat(rejects.get(1).get("reason").asText()).contains("id column 'id' is empty");
    for (String column : List.of("probabilities_0", "probabilities_1")) { // KLL ranks are random
      assertThat(fast.distribution().get(column))
          .containsAllEntriesOf(
              Map.of(
                  "count", 696L,
                  "min", slow.distribution().get(column).get("min"),
                  "max", slow.distribution().get(column).get("max"),
                  "mean", slow.distribution().get(column).get("mean")));
    }
    assertThat(fast.partitions())
        .extracting(JobSummary.Partition::rowsOut)
        .isEqualTo(slow.partitions().stream().map(JobSummary.Partition::rowsOut).toList());
    List<Map<String, String>> out = Tables.readOutputs(dir.resolve("columnar"));
    assertThat(out.get(698 - 3).get("probabilities_0"))
        .isEqualTo(reference(mlp, "tabular_mlp", rows[698], "probabilities").get(0));

    Path textIds = dir.resolve("text-ids.parquet"); // a VARCHAR id stays columnar too
    Tables.sql(
        "COPY (SELECT CAST(id AS VARCHAR) AS id, * EXCLUDE (id) FROM read_parquet('"
            + input
            + "')) TO '"
            + textIds
            + "' (FORMAT parquet)");
    BatchJob text = new BatchJob(options("tabular_mlp", textIds, "text"), mlp.access());
    text.run();
    new BatchJob(
            options("tabular_mlp", textIds, "text-rows"),
            mlp.access(),
            BatchJob.Reading.ON_JOB_THREAD,
            false)
        .run();
    assertThat(text.columnar()).isTrue();
    for (int i = 0; i < Tables.parts(dir.resolve("text-rows")).size(); i++) {
      assertThat(Tables.parts(dir.resolve("text")).get(i))
          .hasSameBinaryContentAs(Tables.parts(dir.resolve("text-rows")).get(i));
    }
    assertThat(Tables.rejects(dir.resolve("text")))
        .isEqualTo(Tables.rejects(dir.resolve("text-rows")))
        .hasSize(3);
  }

  @Test
  void aWideParquetFilesUnusedColumnsLeaveTheOutputsAsTheyAre() throws Exception {
    float[][] rows = Tables.features(300, 64, 12);
    Path plain = Tables.parquet(dir.resolve("plain.parquet"), rows);
    Path wide = dir.resolve("wide.parquet");
    Tables.sql( // unused columns around the id and after the features, of types the path skips
        "COPY (SELECT 'note ' || id AS note, id, DATE '2020-01-01' + CAST(id AS INTEGER) AS day,"
            + " COLUMNS('f[0-9]$'), COLUMNS('f[1-6][0-9]'), [f0, f1] AS pair,"
            + " CAST(f1 AS DOUBLE) * 2 AS extra FROM read_parquet('"
            + plain
            + "')) TO '"
            + wide
            + "' (FORMAT parquet)");

    BatchJob narrowJob = new BatchJob(options("tabular_mlp", plain, "narrow"), mlp.access());
    narrowJob.run();
    BatchJob wideJob =
        new BatchJob(
            options("tabular_mlp", wide, "wide")
                .withColumns(List.of("f0..f63"), List.of(), Optional.of("id")),
            mlp.access());
    JobSummary summary = wideJob.run();

    assertThat(wideJob.columnar()).isTrue();
    assertThat(summary.rowsOut()).isEqualTo(300);
    assertThat(Tables.readOutputs(dir.resolve("wide")))
        .isEqualTo(Tables.readOutputs(dir.resolve("narrow")));
  }

  @Test
  void stringsReachABytesInputAndComeBackUnchanged() throws Exception {
    List<String> texts =
        List.of("plain", "with, comma", "quote \" inside", "emoji 🚀 ü", "line\nbreak", "");
    Path input = Tables.texts(dir.resolve("texts.csv"), texts);
    BatchOptions options =
        options("string_identity", input, "out")
            .withColumns(List.of("INPUT0=text"), List.of("OUTPUT0=echo"), Optional.of("key"));

    new BatchJob(options, strings.access()).run();

    List<Map<String, String>> out = Tables.readOutputs(dir.resolve("out"));
    assertThat(out)
        .extracting(row -> row.get("key"))
        .containsExactly("k0", "k1", "k2", "k3", "k4", "k5");
    assertThat(out.subList(0, 5))
        .extracting(row -> row.get("echo"))
        .containsExactlyElementsOf(texts.subList(0, 5));
  }

  @Test
  void badRowsGoToTheRejectFileWithTheirLineAndReasonAndTheJobGoesOn() throws Exception {
    float[][] rows = Tables.features(10, 64, 5);
    Path input = Tables.csv(dir.resolve("in.csv"), rows);
    List<String> lines = new ArrayList<>(Files.readAllLines(input));
    lines.set(3, lines.get(3).replaceFirst(",[^,]+,", ",abc,")); // row r3: text in f0
    lines.set(5, "r5,1.0,2.0"); // too few values
    lines.set(9, lines.get(9).replaceFirst(",[^,]+,", ",,")); // empty f0
    Files.write(input, lines);

    JobSummary summary = new BatchJob(options("tabular_mlp", input, "out"), mlp.access()).run();

    assertThat(summary.rowsOut()).isEqualTo(7);
    assertThat(summary.rejected()).isEqualTo(3);
    List<JsonNode> rejects = Tables.rejects(dir.resolve("out"));
    assertThat(rejects).extracting(r -> r.get("line").asLong()).containsExactly(4L, 6L, 10L);
    assertThat(rejects.get(0).get("reason").asText())
        .contains("column 'f0' holds 'abc'", "FP32 number", "features");
    assertThat(rejects.get(1).get("reason").asText()).contains("has 3 values (expected 65");
    assertThat(rejects.get(2).get("reason").asText())
        .contains("column 'f0' is empty", "input 'features'");
    assertThat(rejects).extracting(r -> r.get("id").asText()).containsExactly("r3", "r5", "r9");
    assertThat(Tables.readOutputs(dir.resolve("out")))
        .extracting(row -> row.get("id"))
        .containsExactly("r1", "r2", "r4", "r6", "r7", "r8", "r10");
  }

  @Test
  void readingAheadWritesTheSameOutputsRejectsAndCountsAsReadingOnTheJobThread() throws Exception {
    // 1,500 rows: several read-ahead blocks; bad rows in the first block, across a block's end
    // and in the last block; a partition every 128 rows.
    float[][] rows = Tables.features(1_500, 64, 11);
    Path csv = Tables.csv(dir.resolve("in.csv"), rows);
    List<String> lines = new ArrayList<>(Files.readAllLines(csv));
    for (int line : new int[] {3, 256, 257, 700, 1_500}) {
      lines.set(line, lines.get(line).replaceFirst(",[^,]+,", ",abc,"));
    }
    Files.write(csv, lines);
    Path jsonl = Tables.jsonl(dir.resolve("in.jsonl"), rows);
    List<String> jsonLines = new ArrayList<>(Files.readAllLines(jsonl));
    jsonLines.set(900, "{not json");
    Files.write(jsonl, jsonLines);

    for (Path input : List.of(csv, jsonl)) {
      String name = input.getFileName().toString();
      BatchJob ahead =
          new BatchJob(
              options("tabular_mlp", input, name + "-ahead"), mlp.access(), BatchJob.Reading.AHEAD);
      JobSummary fast = ahead.run();
      JobSummary plain =
          new BatchJob(options("tabular_mlp", input, name + "-plain"), mlp.access()).run();

      assertThat(fast.rowsIn()).as(name).isEqualTo(1_500);
      assertThat(fast.rejected()).as(name).isEqualTo(plain.rejected()).isPositive();
      assertThat(fast.rowsOut()).as(name).isEqualTo(plain.rowsOut());
      assertThat(Tables.readOutputs(dir.resolve(name + "-ahead")))
          .as(name)
          .isEqualTo(Tables.readOutputs(dir.resolve(name + "-plain")));
      assertThat(Tables.rejects(dir.resolve(name + "-ahead")))
          .as(name)
          .isEqualTo(Tables.rejects(dir.resolve(name + "-plain")));
      // the rows counted beside the job reached the progress
      assertThat(ahead.progress().totalRows()).as(name).isEqualTo(1_500);
      assertThat(ahead.progress().partitionsTotal()).as(name).isEqualTo(12);
    }
  }

  @Test
  void partitionsCommittedBesideTheJobHoldEveryRowAsThoseCommittedOnTheJobThread()
      throws Exception {
    // 1,500 rows in 12 partitions of 128, Parquet in and out: with the job's machine to itself a
    // finished partition is written and committed on a thread of its own (DuckDB's appender,
    // closed there, would drop the rows it still buffers).
    float[][] rows = Tables.features(1_500, 64, 12);
    Path input = Tables.parquet(dir.resolve("in.parquet"), rows);

    BatchJob beside =
        new BatchJob(options("tabular_mlp", input, "beside"), mlp.access(), BatchJob.Reading.AHEAD);
    JobSummary fast = beside.run();
    JobSummary plain = new BatchJob(options("tabular_mlp", input, "plain"), mlp.access()).run();

    assertThat(fast.rowsOut()).isEqualTo(plain.rowsOut()).isEqualTo(1_500);
    assertThat(fast.partitions())
        .extracting(JobSummary.Partition::rowsOut)
        .isEqualTo(plain.partitions().stream().map(JobSummary.Partition::rowsOut).toList())
        .hasSize(12);
    assertThat(fast.resumedPartitions()).isZero();
    assertThat(beside.progress().partitionsDone()).isEqualTo(12);
    List<Path> parts = Tables.parts(dir.resolve("beside"));
    assertThat(parts).hasSize(12);
    for (int i = 0; i < parts.size(); i++) {
      assertThat(parts.get(i)).hasSameBinaryContentAs(Tables.parts(dir.resolve("plain")).get(i));
    }
    assertThat(Tables.readOutputs(dir.resolve("beside")))
        .hasSize(1_500)
        .isEqualTo(Tables.readOutputs(dir.resolve("plain")));
    try (var files = Files.list(dir.resolve("beside"))) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp"));
    }
  }

  @Test
  void aCommitThatFailsBesideTheJobStopsItAndLeavesTheCommittedPartitionsForAResume()
      throws Exception {
    Path input = Tables.parquet(dir.resolve("in.parquet"), Tables.features(600, 64, 13));
    Path out = dir.resolve("out");
    // Partition 1's file cannot be renamed into place: a folder that is not empty holds its name.
    Files.createDirectories(out.resolve(PartitionWriter.fileName(1, FileFormat.PARQUET)));
    Files.writeString(
        out.resolve(PartitionWriter.fileName(1, FileFormat.PARQUET)).resolve("x"), "x");

    BatchJob job =
        new BatchJob(options("tabular_mlp", input, "out"), mlp.access(), BatchJob.Reading.AHEAD);
    assertThatThrownBy(job::run).hasMessageContaining("cannot commit partition 1");

    try (var files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(f -> f.endsWith(".tmp"))
          .contains("part-00000.parquet", "_manifest.json")
          .doesNotContain("part-00002.parquet", "part-00003.parquet");
    }
    assertThat(Manifest.read(out).orElseThrow().partitions()).containsOnlyKeys(0);
  }

  @Test
  void valuesTheModelRefusesAreRejectedWithTheEnginesReasonAndTheRestOfTheBatchIsScored()
      throws Exception {
    float[][] rows = Tables.features(8, 64, 7);
    Path input = Tables.csv(dir.resolve("in.csv"), rows);
    List<String> lines = new ArrayList<>(Files.readAllLines(input));
    lines.set(3, lines.get(3).replaceFirst(",[^,]+$", ",Infinity")); // XGBoost takes NaN only
    lines.set(5, lines.get(5).replaceFirst(",[^,]+$", ",NaN")); // a missing value for XGBoost
    Files.write(input, lines);

    JobSummary summary = new BatchJob(options("xgb_tabular", input, "out"), xgb.access()).run();

    assertThat(summary.rowsOut()).isEqualTo(7);
    List<JsonNode> rejects = Tables.rejects(dir.resolve("out"));
    assertThat(rejects).extracting(r -> r.get("id").asText()).containsExactly("r3");
    assertThat(rejects.get(0).get("reason").asText()).contains("'features'", "+infinity");
    List<Map<String, String>> out = Tables.readOutputs(dir.resolve("out"));
    assertThat(out.get(0).get("margin"))
        .isEqualTo(reference(xgb, "xgb_tabular", rows[0], "margin").get(0));
  }

  @Test
  void maxErrorRateStopsAJobThatIsMostlyGarbage() throws Exception {
    StringBuilder csv = new StringBuilder("id");
    for (int i = 0; i < 64; i++) {
      csv.append(",f").append(i);
    }
    csv.append('\n');
    for (int r = 0; r < 500; r++) {
      csv.append(r).append(",garbage").append(",1".repeat(63)).append('\n');
    }
    Path input = Files.writeString(dir.resolve("bad.csv"), csv);

    assertThatThrownBy(
            () ->
                new BatchJob(
                        options("tabular_mlp", input, "out").withMaxErrorRate(0.1), mlp.access())
                    .run())
        .isInstanceOf(BatchFailure.class)
        .hasMessageContaining("rows rejected")
        .hasMessageContaining("--max-error-rate");
  }

  @Test
  void maxErrorRateCountsTheRowsTheModelRefusesInTheLastBatches() throws Exception {
    // Half the rows hold +Infinity, which XGBoost refuses: found only when their batch is answered,
    // and in one partition every batch is still in flight when the last row has been read.
    float[][] rows = Tables.features(1000, 64, 11);
    for (int r = 0; r < rows.length; r += 2) {
      rows[r][63] = Float.POSITIVE_INFINITY;
    }
    Path input = Tables.csv(dir.resolve("infinite.csv"), rows);

    assertThatThrownBy(
            () ->
                new BatchJob(
                        options("xgb_tabular", input, "strict")
                            .withPartitionRows(100_000)
                            .withMaxErrorRate(0.1),
                        xgb.access())
                    .run())
        .isInstanceOf(BatchFailure.class)
        .hasMessageContaining("500 of 1000 rows rejected")
        .hasMessageContaining("--max-error-rate");
    JobSummary lenient =
        new BatchJob(
                options("xgb_tabular", input, "lenient")
                    .withPartitionRows(100_000)
                    .withMaxErrorRate(0.6),
                xgb.access())
            .run();
    assertThat(lenient.rejected()).isEqualTo(500);
    assertThat(lenient.rowsOut()).isEqualTo(500);
  }

  @Test
  void maxErrorRateCountsRejectsAmongTheFirstRowsOnceEveryRowIsRead() throws Exception {
    // 3 bad rows among the first 100 of 1,000: no check runs while reading (a reject before the
    // 100th row does not stop a job), but the whole input's rate, 0.3 %, is over 0.1 %.
    StringBuilder csv = new StringBuilder("id");
    for (int i = 0; i < 64; i++) {
      csv.append(",f").append(i);
    }
    csv.append('\n');
    for (int r = 0; r < 1000; r++) {
      csv.append(r).append(r % 30 == 1 && r < 90 ? ",garbage" : ",1").append(",1".repeat(63));
      csv.append('\n');
    }
    Path input = Files.writeString(dir.resolve("few-bad.csv"), csv);

    assertThatThrownBy(
            () ->
                new BatchJob(
                        options("tabular_mlp", input, "strict").withMaxErrorRate(0.001),
                        mlp.access())
                    .run())
        .isInstanceOf(BatchFailure.class)
        .hasMessageContaining("3 of 1000 rows rejected")
        .hasMessageContaining("--max-error-rate");
    JobSummary lenient =
        new BatchJob(options("tabular_mlp", input, "lenient").withMaxErrorRate(0.005), mlp.access())
            .run();
    assertThat(lenient.rejected()).isEqualTo(3);
    assertThat(lenient.rowsOut()).isEqualTo(997);
  }

  @Test
  void aLaterFileWithOtherColumnsIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path first = Tables.csv(dir.resolve("a.csv"), Tables.features(300, 64, 3)); // 3 partitions
    Path second = Files.writeString(dir.resolve("b.csv"), "id,other\nx,1\n");
    BatchOptions options =
        BatchOptions.of("tabular_mlp", List.of(first, second), dir.resolve("out"))
            .withPartitionRows(128);

    assertThatThrownBy(() -> new BatchJob(options, mlp.access()).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input 'b.csv' has columns [id, other]");
    try (var written = Files.list(dir.resolve("out"))) {
      assertThat(written).as("no partition, no manifest").isEmpty();
    } catch (java.nio.file.NoSuchFileException notCreated) {
      // as good: nothing written
    }
  }

  @Test
  void anOutputFolderHoldingAJobNeedsResume() throws Exception {
    Path input = Tables.csv(dir.resolve("in.csv"), Tables.features(20, 64, 6));
    new BatchJob(options("tabular_mlp", input, "out"), mlp.access()).run();

    assertThatThrownBy(() -> new BatchJob(options("tabular_mlp", input, "out"), mlp.access()).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--resume");
    BatchJob again =
        new BatchJob(options("tabular_mlp", input, "out").withResume(true), mlp.access());
    JobSummary resumed = again.run();
    assertThat(resumed.resumedPartitions()).isEqualTo(1);
    assertThat(resumed.rowsOut()).isEqualTo(20);
    // The live counters (a server job's status) count the earlier run's partition too.
    assertThat(again.progress().partitionsDone()).isEqualTo(1);
    assertThat(again.progress().partitionsTotal()).isEqualTo(1);
    assertThat(again.progress().rowsOut()).isEqualTo(20);
    assertThat(again.progress().rowsDone()).isEqualTo(20);
  }

  @Test
  void aResumeOfADifferentJobNamesWhatDiffers() throws Exception {
    Path input = Tables.csv(dir.resolve("first.csv"), Tables.features(20, 64, 6));
    Path other = Tables.csv(dir.resolve("second.csv"), Tables.features(20, 64, 7));
    new BatchJob(options("tabular_mlp", input, "out"), mlp.access()).run();

    assertThatThrownBy(
            () ->
                new BatchJob(
                        options("tabular_mlp", other, "out").withPartitionRows(64).withResume(true),
                        mlp.access())
                    .run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("differs from this one: input files [first.csv] there, [second.csv]")
        .hasMessageContaining("rows per partition 128 there, 64 now")
        .message()
        .doesNotContain("JobIdentity")
        .doesNotContain("model ");
  }

  @Test
  void anUnmappableFileIsRefusedWithWhatWasExpected() throws Exception {
    Path input = Files.writeString(dir.resolve("narrow.csv"), "id,a,b\n1,2,3\n");

    assertThatThrownBy(() -> new BatchJob(options("tabular_mlp", input, "out"), mlp.access()).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input 'features' (FP32, 64 values per row)")
        .hasMessageContaining("--input-columns features=");
  }
}
