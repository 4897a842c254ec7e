package dev.infera.batch;

import dev.infera.batch.ModelAccess.ModelView;
import dev.infera.batch.io.ColumnChunk;
import dev.infera.batch.io.OutputColumn;
import dev.infera.batch.io.SourceRow;
import dev.infera.batch.mapping.BatchBuilder;
import dev.infera.batch.mapping.ColumnMapping;
import dev.infera.batch.mapping.ColumnarBatchBuilder;
import dev.infera.batch.mapping.OutputLayout;
import dev.infera.batch.mapping.RowRejected;
import java.util.function.IntConsumer;

/**
 * Scores a stream of rows: reads each row's id, converts it into the current batch (or rejects it
 * with the reason), sends full batches of up to {@code max_batch_size} rows to the engine (at most
 * {@code parallelism} in flight) and hands the answers, in input order, to a {@link ScoredRows}.
 * The one row-to-answer path of {@code infera batch}, server jobs and the Spark runner. Owned by
 * one thread.
 */
public final class RowScorer {
  private final ColumnMapping mapping;
  private final OutputLayout layout;
  private final BatchBuilder builder;
  private ColumnarBatchBuilder columnar;
  private final PartitionScorer scorer;
  private final JobProgress progress;

  /**
   * @param access the engine
   * @param options the job's model, parallelism and priority
   * @param model the model version scored with
   * @param mapping the input columns of each model input
   * @param layout the output columns
   * @param columnCount the number of values every row must have
   * @param progress counts written and rejected rows
   * @param cancellationCheck throws to stop the job; called before each answer is written
   */
  public RowScorer(
      ModelAccess access,
      BatchOptions options,
      ModelView model,
      ColumnMapping mapping,
      OutputLayout layout,
      int columnCount,
      JobProgress progress,
      Runnable cancellationCheck) {
    this.mapping = mapping;
    this.layout = layout;
    this.progress = progress;
    this.scorer =
        new PartitionScorer(
            access.service(),
            options,
            model,
            layout,
            progress,
            cancellationCheck,
            PartitionScorer.MAX_BYTES_IN_FLIGHT);
    this.builder = new BatchBuilder(mapping, columnCount, model.contract().maxBatchSize());
  }

  /**
   * Adds one row; answers that have arrived meanwhile are written.
   *
   * @param number the row's number in the job (from 1), its id when there is no id column
   * @return false when the row was rejected (and handed to {@code out} as such)
   */
  public boolean add(SourceRow row, long number, ScoredRows out) {
    Object id = null;
    try {
      id = id(mapping, layout, row, number);
      builder.add(row, id);
    } catch (RowRejected e) {
      out.reject(row, id, e.getMessage());
      progress.rejectedOne();
      return false;
    }
    if (builder.isFull()) {
      scorer.submit(builder.take(), out);
    }
    scorer.writeFinished(out);
    return true;
  }

  /**
   * Scores rows through a columnar builder from now on: {@link #addColumns} then takes chunks. Rows
   * added either way keep their order (a partial batch of one kind is sent before a row of the
   * other kind is added).
   */
  public void useColumnar(ColumnarBatchBuilder columnarBuilder) {
    this.columnar = columnarBuilder;
  }

  /**
   * Adds rows {@code from .. to-1} of a chunk: runs of complete rows in bulk, a row holding a null
   * through {@link #add} (which rejects it as ever); answers that have arrived are written.
   *
   * @param firstNumber the job row number of row {@code from}
   * @param rejected told the offset from {@code from} of each row rejected here
   */
  public void addColumns(
      ColumnChunk chunk, int from, int to, long firstNumber, ScoredRows out, IntConsumer rejected) {
    columnar.load(chunk);
    int r = from;
    while (r < to) {
      if (!columnar.complete(r)) {
        if (columnar.size() > 0) {
          scorer.submit(columnar.take(), out);
        }
        if (!add(columnar.sourceRow(r), firstNumber + (r - from), out)) {
          rejected.accept(r - from);
        }
        r++;
        continue;
      }
      if (builder.size() > 0) {
        scorer.submit(builder.take(), out);
      }
      int end = r;
      while (end < to && columnar.complete(end)) {
        end++;
      }
      while (r < end) {
        r += columnar.add(r, end, firstNumber + (r - from));
        if (columnar.isFull()) {
          scorer.submit(columnar.take(), out);
        }
      }
    }
    scorer.writeFinished(out);
  }

  /** Sends the last, partial batch and waits for every answer. */
  public void finish(ScoredRows out) {
    if (builder.size() > 0) {
      scorer.submit(builder.take(), out);
    }
    if (columnar != null && columnar.size() > 0) {
      scorer.submit(columnar.take(), out);
    }
    scorer.writeAll(out);
  }

  /** Withdraws the batches in flight (the job stopped). */
  public void abandon() {
    scorer.abandon();
  }

  /**
   * The id column's type: BIGINT when the id column's first value is an integer (or there is no id
   * column: row numbers), else TEXT.
   */
  public static OutputColumn.Type idType(ColumnMapping mapping, Object firstId) {
    if (mapping.idColumn() < 0) {
      return OutputColumn.Type.BIGINT;
    }
    return firstId instanceof Long || firstId instanceof Integer
        ? OutputColumn.Type.BIGINT
        : OutputColumn.Type.TEXT;
  }

  private static Object id(ColumnMapping mapping, OutputLayout layout, SourceRow row, long number)
      throws RowRejected {
    if (mapping.idColumn() < 0) {
      return number;
    }
    Object value =
        row.values() == null || row.values().length <= mapping.idColumn()
            ? null
            : row.values()[mapping.idColumn()];
    if (value == null) {
      throw new RowRejected("id column '" + mapping.idName() + "' is empty");
    }
    if (layout.columns().get(0).type() == OutputColumn.Type.BIGINT) {
      if (value instanceof Number n) {
        return n.longValue();
      }
      throw new RowRejected(
          "id column '" + mapping.idName() + "' holds '" + value + "' (expected an integer)");
    }
    return value.toString();
  }
}
