package dev.infera.spark;

import dev.infera.batch.BatchFailure;
import dev.infera.batch.BatchOptions;
import dev.infera.batch.DistributedBatch;
import dev.infera.batch.JobSummary;
import dev.infera.batch.RunClock;
import dev.infera.batch.io.FileFormat;
import dev.infera.batch.io.InputFiles;
import dev.infera.batch.io.Sources;
import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * {@code infera batch --spark-master URL}: the same job as the local mode, on Spark. The input is
 * read with Spark's own readers (CSV with a header and every value as text, JSON Lines with every
 * value as text, Parquet as typed), scored with {@link InferaSpark}, and written with Spark's
 * writers as partitioned files of the output format ({@code part-*}), rejects as JSON Lines in
 * {@code _rejects/}, and {@code _summary.json}. Spark retries failed tasks itself; {@code --resume}
 * and {@code --partition-rows} are the local mode's ({@code --partitions N} splits the input into N
 * Spark partitions of consecutive rows, so that rows keep the input's order and numbers).
 */
public final class SparkBatch implements DistributedBatch {
  static final String REJECTS_FOLDER = "_rejects";

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public JobSummary run(
      BatchOptions options, Path modelRepository, String master, OptionalInt instances) {
    if (options.resume()) {
      throw new IllegalArgumentException(
          "--resume is for the local mode; with --spark-master Spark retries failed tasks itself:"
              + " run the job again into an empty folder");
    }
    if (options.partitionRows().isPresent()) {
      throw new IllegalArgumentException(
          "--partition-rows is for the local mode; with --spark-master use --partitions N (or"
              + " Spark's spark.sql.files.maxPartitionBytes)");
    }
    InputFiles input = InputFiles.resolve(options.inputs());
    FileFormat format = options.format().orElse(input.format());
    checkEmpty(options.output());
    Optional<SparkSession> running =
        SparkSession.getActiveSession().isDefined()
            ? Optional.of(SparkSession.getActiveSession().get())
            : SparkSession.getDefaultSession().isDefined()
                ? Optional.of(SparkSession.getDefaultSession().get())
                : Optional.empty();
    boolean ownSession = running.isEmpty();
    SparkSession spark;
    try {
      spark =
          running.orElseGet(
              () ->
                  SparkSession.builder()
                      .master(master)
                      .appName("infera batch " + options.model())
                      .getOrCreate());
    } catch (Exception e) { // Scala's SparkException is checked in Java and not declared
      throw new IllegalArgumentException(
          "--spark-master '" + master + "': Apache Spark cannot start there: " + firstLine(e));
    }
    if (ownSession) {
      spark.sparkContext().setLogLevel("WARN");
    }
    try {
      return run(spark, options, modelRepository, input, format, instances);
    } catch (IllegalArgumentException | BatchFailure | InferenceException e) {
      throw e;
    } catch (Exception e) {
      // Spark's own failures (a lost master, an aborted stage) as one line; Spark's log above
      // holds the details.
      if (spark.sparkContext().isStopped()) {
        throw new BatchFailure(
            "Apache Spark stopped the application on '"
                + master
                + "' before the job ended (Spark's log above says why; a standalone master that"
                + " never answers is given up after about 60 s): "
                + firstLine(e),
            false);
      }
      throw new BatchFailure("Apache Spark failed the job: " + firstLine(e), false);
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  /**
   * The first line of an exception's message (Spark's carry stack traces); its type without one.
   */
  static String firstLine(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : message.strip().lines().findFirst().orElseThrow();
  }

  /** Runs the job on a session the caller owns. */
  static JobSummary run(
      SparkSession spark,
      BatchOptions options,
      Path modelRepository,
      InputFiles input,
      FileFormat format,
      OptionalInt instances) {
    RunClock clock = RunClock.start();
    Dataset<Row> df = read(spark, input);
    if (input.format() == FileFormat.CSV) {
      // Spark reads an empty CSV field as null, the local mode as empty text: the same reasons
      // ("column 'f3' is empty") and the same ids need the local mode's reading.
      df = df.na().fill("");
    }
    if (options.partitions().isPresent()) {
      df = repartitionInOrder(df, options.partitions().getAsInt());
    }
    InferaSpark.Scored scored =
        InferaSpark.score(
            df,
            modelRepository.toString(),
            options.model(),
            InferaSpark.Options.of(options, instances));
    Dataset<Row> all = scored.all().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Path output = options.output();
      write(scored.results(), format, output);
      List<JobSummary.Partition> partitions = partitions(all);
      long rowsIn = partitions.stream().mapToLong(JobSummary.Partition::rowsIn).sum();
      long rejected = partitions.stream().mapToLong(JobSummary.Partition::rejected).sum();
      if (rejected > 0) {
        write(scored.rejects(), FileFormat.JSONL, output.resolve(REJECTS_FOLDER));
      }
      JobSummary summary =
          JobSummary.timed(
              options,
              Long.toString(scored.version()),
              input,
              format,
              partitions,
              rowsIn,
              clock,
              Map.of());
      summary.write(output);
      if (rowsIn > 0 && rejected > options.maxErrorRate() * rowsIn) {
        throw new BatchFailure(
            String.format(
                Locale.ROOT,
                "%d of %d rows rejected (%.1f %%), more than --max-error-rate %.3f; see %s",
                rejected,
                rowsIn,
                100.0 * rejected / rowsIn,
                options.maxErrorRate(),
                output.resolve(REJECTS_FOLDER)),
            false);
      }
      return summary;
    } finally {
      all.unpersist();
    }
  }

  /** Each Spark partition's rows and rejected rows (no per-partition time: 0). */
  private static List<JobSummary.Partition> partitions(Dataset<Row> all) {
    List<Row> counts =
        all.groupBy(functions.spark_partition_id().as("partition"))
            .agg(
                functions.count(functions.lit(1)),
                functions.count(functions.col(InferaSpark.REJECT_COLUMNS.get(2))))
            .orderBy("partition")
            .collectAsList();
    List<JobSummary.Partition> partitions = new ArrayList<>();
    for (Row row : counts) {
      long rows = row.getLong(1);
      long rejected = row.getLong(2);
      partitions.add(
          new JobSummary.Partition(row.getInt(0), rows, rows - rejected, rejected, 0, false));
    }
    return partitions;
  }

  /**
   * {@code df} in {@code partitions} partitions that hold its rows in order, as contiguous ranges
   * (Spark's own repartition deals them out round-robin): rows without an id column are numbered in
   * the DataFrame's order, which must be the input's, as in the local mode.
   */
  private static Dataset<Row> repartitionInOrder(Dataset<Row> df, int partitions) {
    JavaRDD<Row> rows =
        df.javaRDD()
            .zipWithIndex()
            .mapToPair(indexed -> new Tuple2<>(indexed._2(), indexed._1()))
            .sortByKey(true, partitions)
            .values();
    return df.sparkSession().createDataFrame(rows, df.schema());
  }

  /**
   * The input files, one DataFrame each, joined in the local mode's order (file name order, as
   * {@link InputFiles} lists them): read together, Spark orders the files' pieces by size, and the
   * rows' order, and their numbers without an id column, would follow that instead. Each file must
   * have the first one's columns, as in the local mode (read together, Spark would take the first
   * file's header and read the others by position).
   */
  static Dataset<Row> read(SparkSession spark, InputFiles input) {
    Dataset<Row> all = null;
    List<String> columns = null;
    for (Path file : input.files()) {
      Dataset<Row> one = readOne(spark, input.format(), file.toString());
      if (all == null) {
        all = one;
        columns = List.of(one.columns());
      } else {
        Sources.checkSameColumns(file, columns, List.of(one.columns()));
        all = all.union(one);
      }
    }
    return all;
  }

  private static Dataset<Row> readOne(SparkSession spark, FileFormat format, String path) {
    DataFrameReader reader = spark.read();
    return switch (format) {
      // Every value as text, as the local mode reads them, so each number is rounded once, to
      // the model input's own type.
      case CSV ->
          reader
              .option("header", "true")
              .option("inferSchema", "false")
              .option("escape", "\"")
              .csv(path);
      case JSONL -> reader.option("primitivesAsString", "true").json(path);
      case PARQUET -> reader.parquet(path);
    };
  }

  private static void write(Dataset<Row> rows, FileFormat format, Path folder) {
    var writer = rows.write().mode(SaveMode.ErrorIfExists);
    switch (format) {
      case CSV -> writer.option("header", "true").option("escape", "\"").csv(folder.toString());
      case JSONL -> writer.json(folder.toString());
      case PARQUET -> writer.parquet(folder.toString());
    }
    if (format == FileFormat.JSONL) {
      renameJsonParts(folder);
    }
  }

  /**
   * Spark names JSON Lines parts {@code .json}; the local mode and readers expect {@code .jsonl}.
   */
  private static void renameJsonParts(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith("part-") && name.endsWith(".json")) {
          Files.move(file, file.resolveSibling(name + "l"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename the JSON parts in '" + folder + "'", e);
    }
  }

  private static void checkEmpty(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.list(folder)) {
      if (files.findAny().isPresent()) {
        throw new IllegalArgumentException(
            "the output folder '" + folder + "' is not empty; choose another folder");
      }
      Files.delete(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output folder '" + folder + "'", e);
    }
  }
}
