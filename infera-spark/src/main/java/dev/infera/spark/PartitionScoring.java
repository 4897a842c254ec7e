package dev.infera.spark;

import dev.infera.batch.BatchFailure;
import dev.infera.batch.JobProgress;
import dev.infera.batch.LocalEngine;
import dev.infera.batch.ModelAccess;
import dev.infera.batch.ModelAccess.ModelView;
import dev.infera.batch.RowScorer;
import dev.infera.batch.ScoredRows;
import dev.infera.batch.io.SourceRow;
import dev.infera.batch.mapping.ColumnMapping;
import dev.infera.batch.mapping.OutputLayout;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Scores one Spark partition on an executor: this JVM's engine for the model ({@link
 * ModelEngines}), the same column mapping, batching and reject rules as {@code infera batch}
 * ({@link RowScorer}), rows pulled from the input as the answers are consumed. Each result row
 * holds the output columns, then three reject columns (null for a scored row; for a rejected row
 * the output columns are null).
 */
final class PartitionScoring implements Function2<Integer, Iterator<Row>, Iterator<Row>> {
  private static final long serialVersionUID = 1L;

  private final ScoringSpec spec;

  PartitionScoring(ScoringSpec spec) {
    this.spec = spec;
  }

  @Override
  public Iterator<Row> call(Integer partition, Iterator<Row> input) {
    LocalEngine engine = ModelEngines.get(spec.engine());
    ModelAccess access = engine.access();
    ModelView model = access.view(spec.engine().model(), Optional.of(spec.version()));
    ColumnMapping mapping =
        ColumnMapping.resolve(
            model.contract(),
            spec.columns(),
            spec.inputColumns(),
            Optional.ofNullable(spec.idColumn()));
    OutputLayout layout =
        OutputLayout.of(model.contract(), spec.outputColumns(), mapping.idName(), spec.idType());
    TaskContext task = TaskContext.get();
    RowScorer scorer =
        new RowScorer(
            access,
            spec.batchOptions(),
            model,
            mapping,
            layout,
            spec.columns().size(),
            new JobProgress(),
            () -> {
              // A killed task (a cancelled job, a speculative copy that lost) stops waiting for
              // its answers.
              if (task != null && task.isInterrupted()) {
                throw new BatchFailure("the Spark task was killed", true);
              }
            });
    long offset = spec.partitionOffsets() == null ? 0 : spec.partitionOffsets()[partition];
    Scored scored = new Scored(input, scorer, layout.columns().size(), partition, offset);
    if (task != null) {
      // A task that ends before its rows are all read (a `limit`, a failure, a kill) withdraws
      // the batches it still has queued, which would otherwise be scored for nothing.
      task.addTaskCompletionListener((TaskCompletionListener) ended -> scored.abandonUnread());
    }
    return scored;
  }

  /** The partition's result rows, in input order; a batch is scored when its rows are needed. */
  private static final class Scored implements Iterator<Row>, ScoredRows {
    private final Iterator<Row> input;
    private final RowScorer scorer;
    private final int width;
    private final String where;
    private final long offset;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private long position;
    private boolean finished;

    Scored(Iterator<Row> input, RowScorer scorer, int width, int partition, long offset) {
      this.input = input;
      this.scorer = scorer;
      this.width = width;
      this.where = "partition " + partition;
      this.offset = offset;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && !finished) {
        if (input.hasNext()) {
          Row row = input.next();
          position++;
          scorer.add(
              SourceRow.of(where, position, 0, SparkValues.of(row)), offset + position, this);
        } else {
          scorer.finish(this);
          finished = true;
        }
      }
      return !ready.isEmpty();
    }

    /** Withdraws the batches in flight, unless every row was read and answered. */
    void abandonUnread() {
      if (!finished) {
        scorer.abandon();
      }
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    @Override
    public void write(Object[] row) {
      Object[] values = java.util.Arrays.copyOf(row, width + InferaSpark.REJECT_COLUMNS.size());
      ready.add(RowFactory.create(values));
    }

    @Override
    public void reject(SourceRow row, Object id, String reason) {
      Object[] values = new Object[width + InferaSpark.REJECT_COLUMNS.size()];
      values[0] = id;
      values[width] = row.file();
      values[width + 1] = row.row();
      values[width + 2] = reason;
      ready.add(RowFactory.create(values));
    }
  }
}
