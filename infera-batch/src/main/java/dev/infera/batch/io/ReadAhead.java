package dev.infera.batch.io;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A row source read on a thread of its own, up to {@link #BLOCKS} blocks of {@link #BLOCK_ROWS}
 * rows ahead of the job thread: parsing text (CSV, JSON Lines) then runs beside the conversion and
 * the writing instead of before them. The rows, their order and a failure's place are those of the
 * source: rows read before a failure come first, then {@link #next} throws what the source threw.
 * Memory stays bounded by the blocks. {@link #close} stops the reader (within one row) before it
 * closes the source, so the source is never used by two threads at once.
 */
public final class ReadAhead implements RowSource {
  /** Rows handed over at once: one hand-over per block, not per row. */
  static final int BLOCK_ROWS = 256;

  /** Blocks read ahead at most. */
  static final int BLOCKS = 8;

  private static final long POLL_MILLIS = 50;

  /** A run of rows; after the last one, the end of the source or what its reading threw. */
  private record Block(SourceRow[] rows, int size, boolean last, Throwable failure) {}

  private final RowSource source;
  private final UnaryOperator<SourceRow> prepare;
  private final BlockingQueue<Block> blocks = new ArrayBlockingQueue<>(BLOCKS);
  private final CompletableFuture<Void> reader;
  private volatile boolean closed;
  private Block current;
  private int at;

  private ReadAhead(RowSource source, String threadName, UnaryOperator<SourceRow> prepare) {
    this.source = source;
    this.prepare = prepare;
    this.reader = CompletableFuture.runAsync(this::read, daemonThread(threadName));
  }

  /** Runs each task on a new daemon thread of this name (the job's helpers: one task each). */
  static Executor daemonThread(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      thread.start();
    };
  }

  /** Starts reading {@code source} ahead on a thread named {@code threadName}; owns the source. */
  public static ReadAhead of(RowSource source, String threadName) {
    return of(source, threadName, UnaryOperator.identity());
  }

  /**
   * As {@link #of(RowSource, String)}, with {@code prepare}: work the job thread would otherwise do
   * on a row, done on the reading thread while the job thread is behind (half the blocks or more
   * waiting for it), so that it goes to whichever thread has time. The job thread must give the
   * same result for a row prepared or not; {@code prepare} must not throw for a row the job would
   * reject.
   */
  public static ReadAhead of(
      RowSource source, String threadName, UnaryOperator<SourceRow> prepare) {
    return new ReadAhead(source, threadName, prepare);
  }

  @Override
  public List<String> columns() {
    return source.columns(); // fixed before the first row: safe beside the reader
  }

  @Override
  public SourceRow next() {
    while (current == null || at == current.size()) {
      if (current != null && current.last()) {
        if (current.failure() != null) {
          Throwable failure = current.failure();
          if (failure instanceof Error error) {
            throw error;
          }
          throw (RuntimeException) failure;
        }
        return null;
      }
      current = take();
      at = 0;
    }
    SourceRow row = current.rows()[at];
    current.rows()[at++] = null; // the block need not keep what the job has taken
    return row;
  }

  private Block take() {
    try {
      return blocks.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the input", e);
    }
  }

  private void read() {
    try {
      readBlocks();
    } catch (RuntimeException | Error e) { // not the source's: the job must not wait for rows
      put(new Block(new SourceRow[0], 0, true, e));
    }
  }

  private void readBlocks() {
    boolean last = false;
    while (!last && !closed) {
      SourceRow[] rows = new SourceRow[BLOCK_ROWS];
      int size = 0;
      // The job thread is behind (half the blocks or more waiting): take work off it.
      boolean preparing = blocks.size() >= BLOCKS / 2;
      Throwable failure = null;
      try {
        while (size < BLOCK_ROWS && !closed) {
          SourceRow row = source.next();
          if (row == null) {
            last = true;
            break;
          }
          rows[size++] = preparing ? prepare.apply(row) : row;
        }
      } catch (RuntimeException | Error e) {
        failure = e;
        last = true;
      }
      if (!put(new Block(rows, size, last, failure))) {
        return;
      }
    }
  }

  /** Hands a block over, waiting for room; false once closed. */
  private boolean put(Block block) {
    try {
      while (!closed) {
        if (blocks.offer(block, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    blocks.clear(); // room for a reader waiting to hand over
    reader.join(); // not interruptibly: the source must not be closed under the reader
    source.close();
  }
}
