package dev.infera.batch;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A job's live counters, written by the job's thread and read by any (progress display, job
 * status). A partition an earlier run finished counts as done when the job reaches it — its rows,
 * rows written and rows rejected at once, so that rows done never fall behind rows written plus
 * rejected — and with this run's.
 */
public final class JobProgress {
  private final AtomicLong totalRows = new AtomicLong(-1);
  private final AtomicLong rowsDone = new AtomicLong();
  private final AtomicLong rowsOut = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong partitionsDone = new AtomicLong();
  private final AtomicLong partitionsTotal = new AtomicLong(-1);
  private final AtomicLong resumedRowsOut = new AtomicLong();
  private final AtomicLong resumedRejected = new AtomicLong();

  /** The input's rows, as counted ahead; -1 until counted. */
  public long totalRows() {
    return totalRows.get();
  }

  /** Rows read and either written, rejected, or skipped as already done. */
  public long rowsDone() {
    return rowsDone.get();
  }

  /** Rows written, by this run and the partitions an earlier run committed. */
  public long rowsOut() {
    return rowsOut.get() + resumedRowsOut.get();
  }

  /** Rows rejected, by this run and the partitions an earlier run committed. */
  public long rejected() {
    return rejected.get() + resumedRejected.get();
  }

  /** Rows this run rejected. */
  long rejectedThisRun() {
    return rejected.get();
  }

  /** Rows this run wrote or rejected. */
  long scoredThisRun() {
    return rowsOut.get() + rejected.get();
  }

  public long partitionsDone() {
    return partitionsDone.get();
  }

  public long partitionsTotal() {
    return partitionsTotal.get();
  }

  void planned(long rows, long partitions) {
    totalRows.set(rows);
    partitionsTotal.set(partitions);
  }

  void written(long rows) {
    rowsDone.addAndGet(rows);
    rowsOut.addAndGet(rows);
  }

  void rejectedOne() {
    rowsDone.incrementAndGet();
    rejected.incrementAndGet();
  }

  void partitionDone() {
    partitionsDone.incrementAndGet();
  }

  /**
   * A partition an earlier run committed, with what it wrote and rejected: its rows count as done
   * at once, with its written and rejected rows (never fewer rows done than written and rejected).
   */
  void partitionResumed(long written, long rejectedRows) {
    partitionsDone.incrementAndGet();
    rowsDone.addAndGet(written + rejectedRows);
    resumedRowsOut.addAndGet(written);
    resumedRejected.addAndGet(rejectedRows);
  }
}
