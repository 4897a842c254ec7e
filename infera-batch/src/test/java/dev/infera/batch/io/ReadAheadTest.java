package dev.infera.batch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rows read on a thread of their own come in the source's order, failures in their place. */
class ReadAheadTest {

  @Test
  void everyRowComesInOrderAcrossBlocksThenTheEnd() {
    int rows = ReadAhead.BLOCK_ROWS * 3 + 17;
    try (ReadAhead ahead = ReadAhead.of(new Counting(rows, -1), "test-read")) {
      assertThat(ahead.columns()).containsExactly("x");
      List<Long> seen = new ArrayList<>();
      for (SourceRow row = ahead.next(); row != null; row = ahead.next()) {
        seen.add(row.row());
      }
      assertThat(seen).hasSize(rows);
      for (int i = 0; i < rows; i++) {
        assertThat(seen.get(i)).isEqualTo(i + 1);
      }
      assertThat(ahead.next()).isNull(); // and stays at the end
    }
  }

  @Test
  void rowsArePreparedOnlyWhileTheJobThreadIsBehind() throws Exception {
    Counting source = new Counting(Long.MAX_VALUE, -1);
    int blocks = ReadAhead.BLOCKS;
    try (ReadAhead ahead =
        ReadAhead.of(
            source,
            "test-read",
            row -> SourceRow.of(row.file(), row.row(), row.line(), new Object[] {"prepared"}))) {
      // Nothing taken yet: the reader fills every block, the later half while the first wait.
      assertThat(source.filled.await(10, TimeUnit.SECONDS)).isTrue();
      for (int block = 0; block < blocks; block++) {
        for (int r = 0; r < ReadAhead.BLOCK_ROWS; r++) {
          SourceRow row = ahead.next();
          assertThat(row.row()).isEqualTo((long) block * ReadAhead.BLOCK_ROWS + r + 1);
          assertThat(row.values()[0])
              .as("block %d", block)
              .isEqualTo(block < blocks / 2 ? Long.toString(row.row()) : "prepared");
        }
      }
    }
  }

  @Test
  void aFailureComesAfterTheRowsReadBeforeIt() {
    int failAt = ReadAhead.BLOCK_ROWS + 5;
    try (ReadAhead ahead = ReadAhead.of(new Counting(10_000, failAt), "test-read")) {
      for (int i = 1; i < failAt; i++) {
        assertThat(ahead.next().row()).isEqualTo(i);
      }
      assertThatThrownBy(ahead::next)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("row " + failAt);
    }
  }

  @Test
  void closingWhileTheReaderIsInsideTheSourceWaitsForItBeforeClosingTheSource() throws Exception {
    Counting source = new Counting(Long.MAX_VALUE, -1, 20);
    ReadAhead ahead = ReadAhead.of(source, "test-read");
    assertThat(ahead.next().row()).isEqualTo(1);
    Thread.sleep(5); // the reader is in the middle of a 20-ms row
    ahead.close();
    assertThat(source.closed).isTrue();
    assertThat(source.concurrent).isFalse();
    assertThat(source.usedAfterClose).isFalse();
  }

  @Test
  void closingStopsAReaderWaitingForRoomAndNothingIsReadAfter() throws Exception {
    Counting source = new Counting(Long.MAX_VALUE, -1);
    ReadAhead ahead = ReadAhead.of(source, "test-read");
    assertThat(ahead.next().row()).isEqualTo(1);
    // The reader fills its blocks and waits for room.
    assertThat(source.filled.await(10, TimeUnit.SECONDS)).isTrue();
    ahead.close();
    long readAtClose = source.read.get();
    Thread.sleep(100);
    assertThat(source.read.get()).isEqualTo(readAtClose); // nothing read after close
    assertThat(source.closed).isTrue();
    assertThat(source.usedAfterClose).isFalse();
    assertThat(source.concurrent).isFalse();
    assertThat(readAtClose)
        .isLessThanOrEqualTo((long) ReadAhead.BLOCK_ROWS * (ReadAhead.BLOCKS + 2));
  }

  /** Rows 1..n of one column; the row numbered {@code failAt} throws instead. */
  private static final class Counting implements RowSource {
    private final long rows;
    private final long failAt;
    final AtomicInteger read = new AtomicInteger();
    final CountDownLatch filled = new CountDownLatch(1);
    private final AtomicBoolean inUse = new AtomicBoolean();
    volatile boolean closed;
    volatile boolean usedAfterClose;
    volatile boolean concurrent;

    private final long delayMillis;

    Counting(long rows, long failAt) {
      this(rows, failAt, 0);
    }

    Counting(long rows, long failAt, long delayMillis) {
      this.rows = rows;
      this.failAt = failAt;
      this.delayMillis = delayMillis;
    }

    @Override
    public List<String> columns() {
      return List.of("x");
    }

    @Override
    public SourceRow next() {
      enter();
      try {
        long n = read.get() + 1;
        if (delayMillis > 0 && n > ReadAhead.BLOCK_ROWS) { // the first block comes at once
          sleep(delayMillis);
        }
        if (n == failAt) {
          throw new UncheckedIOException(new java.io.IOException("bad bytes at row " + n));
        }
        if (n > rows) {
          return null;
        }
        read.incrementAndGet();
        if (n >= (long) ReadAhead.BLOCK_ROWS * (ReadAhead.BLOCKS + 1)) {
          filled.countDown();
        }
        return SourceRow.of("t.csv", n, n + 1, new Object[] {Long.toString(n)});
      } finally {
        inUse.set(false);
      }
    }

    @Override
    public void close() {
      enter();
      closed = true;
      inUse.set(false);
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void enter() {
      if (closed) {
        usedAfterClose = true;
      }
      if (!inUse.compareAndSet(false, true)) {
        concurrent = true;
      }
    }
  }
}
