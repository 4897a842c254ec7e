package dev.infera.batch.cli;

import dev.infera.batch.BatchFailure;
import dev.infera.batch.BatchJob;
import dev.infera.batch.BatchOptions;
import dev.infera.batch.DistributedBatch;
import dev.infera.batch.JobFilesJson;
import dev.infera.batch.JobSummary;
import dev.infera.batch.LocalEngine;
import dev.infera.batch.io.DuckDb;
import dev.infera.batch.io.FileFormat;
import dev.infera.batch.io.InputFiles;
import dev.infera.core.lifecycle.InstanceCount;
import dev.infera.spi.InferenceException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code infera batch}: scores a table of rows with a model of a repository, without a server. */
@Command(
    name = "batch",
    sortOptions = false,
    description = {
      "Scores CSV, JSON Lines or Parquet files with a model, in this process (or on Apache",
      "Spark with --spark-master), through the same scheduler and backends as infera serve.",
      "Writes partitioned output files of the input's format, reject files for rows that",
      "cannot be scored, and a summary; --resume finishes an interrupted job."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every row was read (some may be rejected: see _rejects/)",
      "1:the job stopped part-way (cancelled, too many rejected rows, a failed batch)",
      "2:bad options, input or model (nothing was scored)"
    })
public final class BatchCommand implements Callable<Integer> {
  /** How long a shutdown (Ctrl-C, SIGTERM) waits for the job to stop and clean up. */
  private static final Duration CANCEL_PATIENCE = Duration.ofSeconds(30);

  /** Counted down once the command has ended and printed its last line. */
  private final CountDownLatch ended = new CountDownLatch(1);

  @Spec CommandSpec spec;

  // Not picocli's standard help options: their --version would clash with the model version's.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = "--model-repository",
      required = true,
      paramLabel = "DIR",
      description = "The model repository (Triton layout).")
  Path modelRepository;

  @Option(names = "--model", required = true, paramLabel = "NAME", description = "The model.")
  String model;

  @Option(
      names = "--version",
      paramLabel = "V",
      description = "The model version (default: the highest).")
  String version;

  @Option(
      names = "--input",
      required = true,
      split = ",",
      paramLabel = "PATH",
      description =
          "Input files or folders (.csv, .jsonl, .parquet); repeat or separate by commas.")
  List<Path> inputs;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder.")
  Path output;

  @Option(
      names = "--format",
      paramLabel = "csv|jsonl|parquet",
      description = "Output format (default: the input's).")
  String format;

  @Option(
      names = "--input-columns",
      paramLabel = "[INPUT=]COLS",
      description =
          "Columns of a model input: COL, COL,COL,... or FIRST..LAST (file order); a single"
              + " column may hold an array. Repeat for each input. Default: a column named like"
              + " the input, or the file's columns besides the id for a one-input model.")
  List<String> inputColumns = new ArrayList<>();

  @Option(
      names = "--output-columns",
      paramLabel = "OUTPUT[=NAME]",
      split = ",",
      description = "Outputs to write, optionally renamed (default: every output).")
  List<String> outputColumns = new ArrayList<>();

  @Option(
      names = "--id-column",
      paramLabel = "COL",
      description =
          "The column identifying rows, kept in the outputs (default: 'id' if present,"
              + " else the row number as 'row').")
  String idColumn;

  @ArgGroup(exclusive = true)
  Partitioning partitioning;

  static final class Partitioning {
    @Option(names = "--partitions", paramLabel = "N", description = "Cut the input into N parts.")
    Integer partitions;

    @Option(
        names = "--partition-rows",
        paramLabel = "N",
        description = "Rows per partition (default: " + BatchOptions.DEFAULT_PARTITION_ROWS + ").")
    Long partitionRows;
  }

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description =
          "Batches in flight at once (default: " + BatchOptions.DEFAULT_PARALLELISM + ").")
  int parallelism = BatchOptions.DEFAULT_PARALLELISM;

  @Option(
      names = "--instances",
      paramLabel = "N|auto|configured",
      description =
          "Model instances per instance group: N, auto (as many as keep the cores busy, by the"
              + " threads each instance runs; the default) or configured (the model's"
              + " config.pbtxt). On Spark: N per executor JVM, default configured.")
  String instances;

  @Option(names = "--resume", description = "Finish the job the output folder holds.")
  boolean resume;

  @Option(
      names = "--max-error-rate",
      paramLabel = "R",
      description =
          "Stop when more than this share (0..1) of rows is rejected (default: 1, never).")
  double maxErrorRate = 1.0;

  @Option(
      names = "--progress",
      paramLabel = "auto|bar|lines|none",
      description = "Progress display (default: auto, a bar on a terminal, else lines).")
  String progressMode = "auto";

  @Option(
      names = "--progress-interval",
      paramLabel = "SECONDS",
      description = "Seconds between progress lines (default: 10).")
  long progressInterval = 10;

  @Option(
      names = "--spark-master",
      paramLabel = "URL",
      description = "Run on Apache Spark (e.g. local[2]); needs infera-spark (docs/batch.md).")
  String sparkMaster;

  @Override
  public Integer call() {
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err));
    BatchOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      err.println("infera batch: " + e.getMessage());
      ended.countDown();
      return 2;
    }
    try {
      JobSummary summary = sparkMaster != null ? runOnSpark(options) : runLocally(options, err);
      err.println(describe(summary));
      return 0;
    } catch (IllegalArgumentException | InferenceException e) {
      err.println("infera batch: " + e.getMessage());
      return 2;
    } catch (BatchFailure e) {
      err.println("infera batch: " + e.getMessage());
      return 1;
    } finally {
      err.flush();
      ended.countDown(); // the last line is out: a shutdown waiting for the job may finish
    }
  }

  /** The model in this process; a load failure under --instances N says that it set the count. */
  LocalEngine loadEngine() {
    InstanceCount count = instanceCount();
    try {
      return LocalEngine.load(modelRepository, model, count);
    } catch (IllegalArgumentException e) {
      if (count.kind() != InstanceCount.Kind.FIXED) {
        throw e;
      }
      throw new IllegalArgumentException(
          e.getMessage() + " (--instances " + instances + " sets each instance group's count)", e);
    }
  }

  /** --instances in local mode: auto unless given. */
  private InstanceCount instanceCount() {
    if (instances == null) {
      return InstanceCount.fillCores();
    }
    return switch (instances.trim()) {
      case "auto" -> InstanceCount.fillCores();
      case "configured" -> InstanceCount.configured();
      default -> InstanceCount.of(instanceNumber());
    };
  }

  /** --instances on Spark: a count per executor JVM, or as configured (the default). */
  private OptionalInt sparkInstanceCount() {
    if (instances == null || instances.trim().equals("configured")) {
      return OptionalInt.empty();
    }
    if (instances.trim().equals("auto")) {
      throw new IllegalArgumentException(
          "--instances auto is for local mode: on Spark an executor's cores are shared by its"
              + " tasks (give a count per executor JVM, or configured)");
    }
    return OptionalInt.of(instanceNumber());
  }

  private int instanceNumber() {
    try {
      int count = Integer.parseInt(instances.trim());
      if (count >= 1) {
        return count;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--instances '" + instances + "' (expected a count >= 1, auto or configured)");
  }

  private JobSummary runLocally(BatchOptions options, PrintStream err) {
    JobFilesJson.preload();
    // DuckDB (for Parquet) opens while the model loads; otherwise it is never opened.
    DuckDb duckDb = usesParquet(options) ? DuckDb.openedAhead() : new DuckDb();
    try (duckDb;
        LocalEngine engine = loadEngine()) {
      // This process is the job's alone: text is parsed on a thread of its own.
      BatchJob job = new BatchJob(options, engine.access(), BatchJob.Reading.AHEAD);
      // Ctrl-C or SIGTERM: the job stops at its next batch, withdraws the batches in flight,
      // deletes the open partition's temporary files and says so; the JVM ends once it has (or
      // after CANCEL_PATIENCE), since it halts as soon as its shutdown hooks return.
      Thread interrupt =
          new Thread(
              () -> {
                job.cancel();
                try {
                  ended.await(CANCEL_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "infera-batch-cancel");
      Runtime.getRuntime().addShutdownHook(interrupt);
      try (ProgressDisplay display =
          ProgressDisplay.start(job.progress(), progressMode, progressInterval, err)) {
        return job.run(duckDb);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(interrupt);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: the job was cancelled
        }
      }
    }
  }

  /**
   * Whether the job reads or writes Parquet. An input that does not exist (or a folder without
   * input files) is refused here, before the model loads; one that cannot be listed is left to the
   * job to report.
   */
  private static boolean usesParquet(BatchOptions options) {
    boolean parquetInput;
    try {
      parquetInput = InputFiles.resolve(options.inputs()).format() == FileFormat.PARQUET;
    } catch (UncheckedIOException unlisted) {
      parquetInput = false;
    }
    return parquetInput || options.format().orElse(null) == FileFormat.PARQUET;
  }

  private JobSummary runOnSpark(BatchOptions options) {
    DistributedBatch spark =
        ServiceLoader.load(DistributedBatch.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(engine -> engine.name().equals("spark"))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--spark-master needs the infera-spark module and Apache Spark on the"
                            + " class path: build it (./mvnw -pl infera-spark -am package"
                            + " -DskipTests) and run bin/infera batch again (docs/batch.md)"));
    return spark.run(options, modelRepository, sparkMaster, sparkInstanceCount());
  }

  BatchOptions options() {
    if (!List.of("auto", "bar", "lines", "none").contains(progressMode)) {
      throw new IllegalArgumentException(
          "--progress '" + progressMode + "' (expected auto, bar, lines or none)");
    }
    if (progressInterval < 1) {
      throw new IllegalArgumentException(
          "--progress-interval " + progressInterval + " (expected >= 1)");
    }
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new IllegalArgumentException(
          "--output '"
              + output
              + "': it is a file, not a folder (expected the job's output folder)");
    }
    // a bad --instances fails here, with the other options, before the model loads
    if (sparkMaster == null) {
      instanceCount();
    } else {
      sparkInstanceCount();
    }
    return new BatchOptions(
        model,
        Optional.ofNullable(version),
        inputs,
        output,
        Optional.ofNullable(format).map(FileFormat::parse),
        inputColumns,
        outputColumns,
        Optional.ofNullable(idColumn),
        partitioning == null || partitioning.partitions == null
            ? OptionalInt.empty()
            : OptionalInt.of(partitioning.partitions),
        partitioning == null || partitioning.partitionRows == null
            ? OptionalLong.empty()
            : OptionalLong.of(partitioning.partitionRows),
        parallelism,
        resume,
        maxErrorRate,
        OptionalInt.empty());
  }

  /** Runs {@code infera batch} alone (the {@code infera} command registers it as a subcommand). */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new BatchCommand()).execute(args));
  }

  static String describe(JobSummary summary) {
    return String.format(
        Locale.ROOT,
        "infera batch: %d rows in, %d out, %d rejected; %.1f s, %.0f rows/s, %.1f CPU s,"
            + " peak RSS %d MiB; %d partitions (%d resumed); summary in %s",
        summary.rowsIn(),
        summary.rowsOut(),
        summary.rejected(),
        summary.seconds(),
        summary.rowsPerSecond(),
        summary.cpuSeconds(),
        summary.peakRssBytes() / (1024 * 1024),
        summary.partitions().size(),
        summary.resumedPartitions(),
        Path.of(summary.output()).resolve(JobSummary.FILE));
  }
}
