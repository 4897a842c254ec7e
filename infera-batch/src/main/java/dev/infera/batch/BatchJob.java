package dev.infera.batch;

import dev.infera.batch.ModelAccess.ModelView;
import dev.infera.batch.io.BackgroundCount;
import dev.infera.batch.io.ColumnChunk;
import dev.infera.batch.io.DuckDb;
import dev.infera.batch.io.FileFormat;
import dev.infera.batch.io.InputFiles;
import dev.infera.batch.io.OutputColumn;
import dev.infera.batch.io.ParquetColumns;
import dev.infera.batch.io.ReadAhead;
import dev.infera.batch.io.RowSource;
import dev.infera.batch.io.SourceRow;
import dev.infera.batch.io.Sources;
import dev.infera.batch.mapping.BatchBuilder;
import dev.infera.batch.mapping.ColumnMapping;
import dev.infera.batch.mapping.ColumnarBatchBuilder;
import dev.infera.batch.mapping.OutputLayout;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * One batch job: reads the input row by row, cuts it into partitions, scores each partition's rows
 * in batches of up to {@code max_batch_size} through the serving engine, and commits each finished
 * partition (output and reject files renamed into place, then the manifest). A resumed job skips
 * the partitions its manifest names, so every accepted row is written exactly once.
 *
 * <p>Threading: {@link #run} runs the whole job on the calling thread (reading, converting,
 * writing; with {@link Reading#AHEAD} the reading and the partitions' commits run beside it, see
 * {@link Partitions}); the engine scores up to {@code parallelism} batches at once on its own
 * threads. {@link #progress} and {@link #cancel} may be called from any thread.
 */
public final class BatchJob {
  private final BatchOptions options;
  private final ModelAccess access;
  private final JobProgress progress = new JobProgress();
  private final Set<Integer> committedNow = new ConcurrentSkipListSet<>();
  private final boolean columnarAllowed;
  private final Reading reading;
  private volatile boolean cancelled;
  private volatile boolean columnar;
  private BackgroundCount counting;

  /**
   * Where a job reads rows that are not read columnar (text files, and Parquet the columnar path
   * cannot take).
   */
  public enum Reading {
    /** On the job's thread, between batches: the least CPU at once (jobs on a server). */
    ON_JOB_THREAD,
    /**
     * On a thread of its own, a few thousand rows ahead ({@link ReadAhead}): parsing beside the
     * conversion and writing; the input's rows, which only the progress needs when partitions go by
     * rows, counted beside the job rather than before it; and a finished partition committed beside
     * the scoring of the next. For a job that has the machine to itself ({@code infera batch}).
     */
    AHEAD
  }

  /** A job that reads on the job thread ({@link Reading#ON_JOB_THREAD}). */
  public BatchJob(BatchOptions options, ModelAccess access) {
    this(options, access, Reading.ON_JOB_THREAD);
  }

  public BatchJob(BatchOptions options, ModelAccess access, Reading reading) {
    this(options, access, reading, true);
  }

  /** A job that reads row by row even where the columnar path could (to compare the two). */
  BatchJob(BatchOptions options, ModelAccess access, Reading reading, boolean columnarAllowed) {
    this.options = options;
    this.access = access;
    this.reading = reading;
    this.columnarAllowed = columnarAllowed;
  }

  public BatchOptions options() {
    return options;
  }

  public JobProgress progress() {
    return progress;
  }

  /** Whether the job read its input columnar (docs/batch.md), once it has started scoring. */
  public boolean columnar() {
    return columnar;
  }

  /** Asks the job to stop at its next row; committed partitions stay, for a later resume. */
  public void cancel() {
    cancelled = true;
  }

  /**
   * Runs the job to its end.
   *
   * @throws IllegalArgumentException when the options do not fit the input or the model (nothing
   *     was written)
   * @throws BatchFailure when the job stopped part-way: cancelled, too many rejected rows, or a
   *     failed inference; committed partitions stay for a resume
   */
  public JobSummary run() {
    try (DuckDb duckDb = new DuckDb()) {
      return run(duckDb);
    }
  }

  /**
   * Runs the job to its end with this DuckDB database for its Parquet files (opened ahead, while
   * the model loaded: {@link DuckDb#openedAhead}); the caller closes it after.
   *
   * @throws IllegalArgumentException as {@link #run()}
   * @throws BatchFailure as {@link #run()}
   */
  public JobSummary run(DuckDb duckDb) {
    JobSummary summary;
    try {
      summary = runWith(duckDb);
    } finally {
      if (counting != null) {
        counting.stop(); // before the database closes under it
      }
    }
    if (progress.totalRows() < 0) {
      // The job read every row before its count ended (slow storage reads the file twice):
      // the total is known without it.
      progress.planned(summary.rowsIn(), summary.partitions().size());
    }
    return summary;
  }

  private void plan(long total, long partitionRows) {
    progress.planned(total, Math.max(1, (total + partitionRows - 1) / partitionRows));
  }

  private JobSummary runWith(DuckDb duckDb) {
    RunClock clock = RunClock.start();
    InputFiles input = InputFiles.resolve(options.inputs());
    FileFormat format = options.format().orElse(input.format());
    ModelView model = access.view(options.model(), options.version());
    if (!model.contract().batched()) {
      throw new IllegalArgumentException(
          "model '"
              + options.model()
              + "' has no batch dimension (max_batch_size 0); batch jobs score rows in batches");
    }
    // Partitions by rows: the count only informs the progress, so it may run beside the job.
    boolean countBeside = reading == Reading.AHEAD && options.partitions().isEmpty();
    long total = countBeside ? -1 : Sources.countRows(input, duckDb);
    long partitionRows = partitionRows(total);
    if (countBeside) {
      counting = BackgroundCount.start(input, duckDb, rows -> plan(rows, partitionRows));
    } else {
      plan(total, partitionRows);
    }
    Optional<ParquetColumns> chunks =
        columnarAllowed ? ParquetColumns.open(input, duckDb) : Optional.empty();
    if (chunks.isPresent()) {
      try (ParquetColumns source = chunks.get()) {
        Optional<JobSummary> done =
            runColumnar(source, input, format, model, partitionRows, clock, duckDb);
        if (done.isPresent()) {
          return done.get();
        }
      }
    }
    RowSource opened = Sources.open(input, duckDb);
    ColumnMapping mapping;
    try {
      mapping =
          ColumnMapping.resolve(
              model.contract(), opened.columns(), options.inputColumns(), options.idColumn());
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    try (RowSource source = readingAhead(opened, mapping)) {
      List<String> columns = source.columns();
      SourceRow first = source.next();
      Setup setup =
          setUp(input, format, model, partitionRows, mapping, firstId(mapping, first), columns);
      Partitions partitions = partitions(setup, partitionRows, format, duckDb);
      long rowsRead = 0;
      long rejects = 0;
      try {
        for (SourceRow row = first; row != null; row = source.next()) {
          checkCancelled();
          if (!partitions.enter(1)) {
            continue; // a committed partition's rows: counted as it was entered
          }
          rowsRead++;
          // A row the mapping rejected, or rows of an earlier batch the model refused.
          if (!setup.scorer().add(row, partitions.index(), partitions.writer())
              || progress.rejectedThisRun() != rejects) {
            rejects = progress.rejectedThisRun();
            checkErrorRate(rowsRead);
          }
        }
        long read = rowsRead;
        partitions.finish(() -> enforceErrorRate(read));
      } finally {
        partitions.end();
      }
      return summarize(partitions.manifest(), input, format, setup.layout(), clock);
    }
  }

  /** The source read ahead, its numbers parsed there too ({@link Reading#AHEAD}), or as it is. */
  private RowSource readingAhead(RowSource source, ColumnMapping mapping) {
    return reading == Reading.AHEAD
        ? ReadAhead.of(source, "infera-batch-read", BatchBuilder.parsingAhead(mapping))
        : source;
  }

  /**
   * The columnar path (docs/batch.md): Parquet columns read chunk by chunk into the tensors without
   * boxing, when the mapping allows it ({@link ColumnarBatchBuilder#of}); empty when it does not,
   * before anything was written, for the row path to run the job.
   */
  private Optional<JobSummary> runColumnar(
      ParquetColumns source,
      InputFiles input,
      FileFormat format,
      ModelView model,
      long partitionRows,
      RunClock clock,
      DuckDb duckDb) {
    List<String> columns = source.columns();
    ColumnMapping mapping =
        ColumnMapping.resolve(
            model.contract(), columns, options.inputColumns(), options.idColumn());
    Optional<ColumnarBatchBuilder> builder =
        ColumnarBatchBuilder.of(mapping, source.kinds(), model.contract().maxBatchSize());
    if (builder.isPresent()) {
      source.readOnly(mapping.columnsRead());
    }
    ColumnChunk first = builder.isPresent() ? source.next() : null;
    if (first == null) {
      return Optional.empty();
    }
    Object firstId =
        mapping.idColumn() < 0
            ? null
            : first.row(0, columns.size(), new int[] {mapping.idColumn()})
                .values()[mapping.idColumn()];
    if (mapping.idColumn() >= 0 && firstId == null) {
      return Optional.empty();
    }
    Setup setup = setUp(input, format, model, partitionRows, mapping, firstId, columns);
    setup.scorer().useColumnar(builder.get());
    columnar = true;
    Partitions partitions = partitions(setup, partitionRows, format, duckDb);
    long rowsRead = 0;
    long rejects = 0;
    try {
      for (ColumnChunk chunk = first; chunk != null; chunk = source.next()) {
        checkCancelled();
        for (int at = 0; at < chunk.size(); ) {
          int take = (int) Math.min(chunk.size() - at, partitions.leftInPartition());
          long firstNumber = partitions.index() + 1;
          // false: a committed partition's rows, counted as done when it was entered
          if (partitions.enter(take)) {
            long before = rowsRead;
            setup
                .scorer()
                .addColumns(
                    chunk,
                    at,
                    at + take,
                    firstNumber,
                    partitions.writer(),
                    offset -> checkErrorRate(before + offset + 1));
            rowsRead += take;
            if (progress.rejectedThisRun() != rejects) { // rows of a batch the model refused
              rejects = progress.rejectedThisRun();
              checkErrorRate(rowsRead);
            }
          }
          at += take;
        }
      }
      long read = rowsRead;
      partitions.finish(() -> enforceErrorRate(read));
    } finally {
      partitions.end();
    }
    return Optional.of(summarize(partitions.manifest(), input, format, setup.layout(), clock));
  }

  /** What both paths share once the columns are mapped: the output layout, manifest and scorer. */
  private record Setup(OutputLayout layout, Manifest manifest, RowScorer scorer) {}

  private Setup setUp(
      InputFiles input,
      FileFormat format,
      ModelView model,
      long partitionRows,
      ColumnMapping mapping,
      Object firstId,
      List<String> columns) {
    OutputLayout layout =
        OutputLayout.of(
            model.contract(),
            options.outputColumns(),
            mapping.idName(),
            RowScorer.idType(mapping, firstId));
    Manifest.JobIdentity identity =
        new Manifest.JobIdentity(
            options.model(),
            Long.toString(model.version()),
            input.fingerprint(),
            format.name(),
            partitionRows,
            layout.columns().stream().map(OutputColumn::name).toList());
    Manifest manifest = Manifest.prepare(options.output(), identity, options.resume());
    RowScorer scorer =
        new RowScorer(
            access,
            options,
            model,
            mapping,
            layout,
            columns.size(),
            progress,
            this::checkCancelled);
    return new Setup(layout, manifest, scorer);
  }

  /**
   * The job's partitions: a finished one committed beside the job when the job has the machine to
   * itself ({@link Reading#AHEAD}), on the job's thread otherwise.
   */
  private Partitions partitions(Setup setup, long partitionRows, FileFormat format, DuckDb duckDb) {
    return new Partitions(
        setup.scorer(),
        setup.layout().columns(),
        setup.manifest(),
        partitionRows,
        options.output(),
        format,
        duckDb,
        progress,
        committedNow,
        reading == Reading.AHEAD ? Partitions.Commits.BESIDE : Partitions.Commits.ON_JOB_THREAD);
  }

  /** After a rejected row: from the 100th row read on, one bad first row does not stop a job. */
  private void checkErrorRate(long rowsRead) {
    if (rowsRead >= BatchOptions.ERROR_RATE_MIN_ROWS) {
      enforceErrorRate(rowsRead);
    }
  }

  /**
   * Stops the job when more than --max-error-rate of the rows read were rejected. Also called once
   * every row is read and scored, before the last partition is committed, so that rejects among the
   * first rows, and the model's rejects of the last batches, count too.
   */
  private void enforceErrorRate(long rowsRead) {
    if (options.maxErrorRate() >= 1 || rowsRead == 0) {
      return;
    }
    long rejected = progress.rejectedThisRun();
    if (rejected > options.maxErrorRate() * rowsRead) {
      throw new BatchFailure(
          String.format(
              java.util.Locale.ROOT,
              "stopped: %d of %d rows rejected (%.1f %%), more than --max-error-rate %.3f;"
                  + " see the reject files in %s",
              rejected,
              rowsRead,
              100.0 * rejected / rowsRead,
              options.maxErrorRate(),
              options.output().resolve(PartitionWriter.REJECTS_FOLDER)),
          false);
    }
  }

  private void checkCancelled() {
    if (cancelled) {
      throw new BatchFailure("cancelled; committed partitions stay for --resume", true);
    }
  }

  private long partitionRows(long total) {
    if (options.partitionRows().isPresent()) {
      return options.partitionRows().getAsLong();
    }
    if (options.partitions().isPresent()) {
      long parts = options.partitions().getAsInt();
      return Math.max(1, (total + parts - 1) / parts);
    }
    return BatchOptions.DEFAULT_PARTITION_ROWS;
  }

  private static Object firstId(ColumnMapping mapping, SourceRow first) {
    return mapping.idColumn() < 0
            || first == null
            || first.values() == null
            || first.values().length <= mapping.idColumn()
        ? null
        : first.values()[mapping.idColumn()];
  }

  private JobSummary summarize(
      Manifest manifest, InputFiles input, FileFormat format, OutputLayout layout, RunClock clock) {
    JobSummary summary =
        JobSummary.of(
            options,
            manifest,
            committedNow,
            input,
            format,
            layout,
            clock,
            progress.scoredThisRun());
    summary.write(options.output());
    return summary;
  }
}
