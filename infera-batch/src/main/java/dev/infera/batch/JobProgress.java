package dev.infera.batch;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A job's live counters, written by the job's thread and read by any (progress display, job
 * status). Rows skipped because an earlier run finished their partition count as done.
 */
public final class JobProgress {
  private final AtomicLong totalRows = new AtomicLong(-1);
  private final AtomicLong rowsDone = new AtomicLong();
  private final AtomicLong rowsOut = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong partitionsDone = new AtomicLong();
  private final AtomicLong partitionsTotal = new AtomicLong(-1);

  /** The input's rows, as counted ahead; -1 until counted. */
  public long totalRows() {
    return totalRows.get();
  }

  /** Rows read and either written, rejected, or skipped as already done. */
  public long rowsDone() {
    return rowsDone.get();
  }

  public long rowsOut() {
    return rowsOut.get();
  }

  public long rejected() {
    return rejected.get();
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

  void skipped(long rows) {
    rowsDone.addAndGet(rows);
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
}
