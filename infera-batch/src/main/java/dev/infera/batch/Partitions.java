package dev.infera.batch;

import dev.infera.batch.io.DuckDb;
import dev.infera.batch.io.FileFormat;
import dev.infera.batch.io.OutputColumn;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The partition being written while a job reads its rows in order: opens each partition's writer
 * when its first row arrives (none for a partition the manifest holds: its rows are skipped) and
 * commits it when the next begins — the output and reject files renamed into place, then the
 * manifest rewritten.
 *
 * <p>Threading: owned by the job thread. With {@link Commits#BESIDE} a finished partition is
 * committed on a thread of its own while the job scores the next one (its commit writes the Parquet
 * file, 10-60 ms, during which the model would otherwise wait); at most one commit runs at a time,
 * in partition order, so the manifest grows in order, and the job waits for it before the next
 * commit, at the end, and when it stops. That thread owns the committed partition's writer and
 * closes it, deleting its temporary files, when its commit fails. {@link Commits#ON_JOB_THREAD}
 * commits on the job's thread.
 */
final class Partitions {
  /** Where a finished partition is committed. */
  enum Commits {
    ON_JOB_THREAD,
    BESIDE
  }

  private final RowScorer scorer;
  private final List<OutputColumn> columns;
  private final long partitionRows;
  private final Path output;
  private final FileFormat format;
  private final DuckDb duckDb;
  private final JobProgress progress;
  private final Set<Integer> committedNow;
  private final Manifest resumedFrom;
  private final ExecutorService committer;

  /** The manifest once the commit in flight (if any) is done; owned by the job thread. */
  private CompletableFuture<Manifest> manifest;

  private PartitionWriter writer;
  private int current = -1;
  private long index;

  /**
   * @param committedNow where the partitions this run commits are recorded (the summary's); written
   *     by the committing thread, read once {@link #manifest} has returned
   */
  Partitions(
      RowScorer scorer,
      List<OutputColumn> columns,
      Manifest manifest,
      long partitionRows,
      Path output,
      FileFormat format,
      DuckDb duckDb,
      JobProgress progress,
      Set<Integer> committedNow,
      Commits commits) {
    this.scorer = scorer;
    this.columns = List.copyOf(columns);
    this.resumedFrom = manifest;
    this.manifest = CompletableFuture.completedFuture(manifest);
    this.partitionRows = partitionRows;
    this.output = output;
    this.format = format;
    this.duckDb = duckDb;
    this.progress = progress;
    this.committedNow = committedNow;
    this.committer =
        commits == Commits.BESIDE
            ? Executors.newSingleThreadExecutor(
                task -> {
                  Thread thread = new Thread(task, "infera-batch-commit");
                  thread.setDaemon(true);
                  return thread;
                })
            : null;
  }

  /** The rows read so far; the job row number of the last row entered. */
  long index() {
    return index;
  }

  /** The rows from the next one to the end of its partition. */
  long leftInPartition() {
    return (index / partitionRows + 1) * partitionRows - index;
  }

  /**
   * Enters the next {@code rows} rows, all of one partition.
   *
   * @return whether they are to be scored (false: their partition is committed already)
   */
  boolean enter(int rows) {
    int partition = (int) (index / partitionRows);
    index += rows;
    if (partition != current) {
      if (writer != null) {
        scorer.finish(writer); // the batches in flight write into it
        PartitionWriter finished = writer;
        writer = null;
        try {
          finished.endRows();
        } catch (RuntimeException e) {
          finished.close();
          throw e;
        }
        commit(finished);
      }
      current = partition;
      // A partition this run commits is never entered again: the manifest it resumed from tells.
      Manifest.PartitionResult earlier = resumedFrom.partitions().get(partition);
      if (earlier != null) {
        progress.partitionResumed(earlier.rowsOut(), earlier.rejected());
      }
      writer =
          earlier != null ? null : new PartitionWriter(partition, output, format, columns, duckDb);
    }
    return writer != null;
  }

  PartitionWriter writer() {
    return writer;
  }

  /** The manifest with every partition committed so far, once the commit in flight is done. */
  Manifest manifest() {
    try {
      return manifest.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /**
   * Once every row is read: scores the rows still in flight (rejects of the model among them), runs
   * {@code beforeLastCommit} (the whole input's error rate), then commits the last partition and
   * waits for it.
   */
  void finish(Runnable beforeLastCommit) {
    if (writer != null) {
      scorer.finish(writer);
    }
    beforeLastCommit.run();
    if (writer != null) {
      PartitionWriter last = writer;
      writer = null;
      Manifest before = manifest();
      manifest = CompletableFuture.completedFuture(committed(last, before));
    }
    manifest();
  }

  /**
   * After the run or a failure: withdraws the batches in flight, deletes the open partition's
   * files, and waits for the commit in flight (its failure, after the job's own, adds nothing).
   */
  void end() {
    try {
      if (writer != null) {
        scorer.abandon();
        writer.close();
        writer = null;
      }
    } finally {
      if (committer != null) {
        committer.shutdown();
      }
      manifest.exceptionally(failed -> null).join();
    }
  }

  /** Commits a finished partition, beside the job once the commit before it is done. */
  private void commit(PartitionWriter finished) {
    Manifest before;
    try {
      before = manifest();
    } catch (RuntimeException e) {
      finished.close();
      throw e;
    }
    if (committer == null) {
      manifest = CompletableFuture.completedFuture(committed(finished, before));
    } else {
      manifest = CompletableFuture.supplyAsync(() -> committed(finished, before), committer);
    }
  }

  private Manifest committed(PartitionWriter finished, Manifest before) {
    try {
      Manifest after = before.with(finished.index(), finished.commit());
      after.write(output);
      committedNow.add(finished.index());
      progress.partitionDone();
      return after;
    } finally {
      finished.close(); // deletes its temporary files when the commit failed; else nothing
    }
  }
}
