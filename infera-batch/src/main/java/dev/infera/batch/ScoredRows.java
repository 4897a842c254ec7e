package dev.infera.batch;

import dev.infera.batch.io.SourceRow;
import dev.infera.batch.mapping.OutputLayout;
import dev.infera.spi.Tensor;
import java.util.List;

/**
 * Where a job's answers go, row by row, in input order: a partition's output and reject files
 * ({@code infera batch}), or a Spark partition's result rows (module infera-spark).
 */
public interface ScoredRows {

  /** One scored row, in the {@link dev.infera.batch.mapping.OutputLayout}'s column order. */
  void write(Object[] row);

  /**
   * The scored rows of one batch, in order: by default each row as {@link #write} takes it; a
   * writer may take the output tensors whole instead.
   *
   * @param ids each row's id value
   * @param outputs the response's tensors, in the layout's output order
   * @param rows the batch's rows
   */
  default void writeBatch(OutputLayout layout, List<Object> ids, List<Tensor> outputs, int rows) {
    for (int r = 0; r < rows; r++) {
      write(layout.row(ids.get(r), outputs, r));
    }
  }

  /**
   * One row that was not scored.
   *
   * @param row the row as read
   * @param id its id value; null when the id itself could not be read
   * @param reason what was wrong with it and what was expected
   */
  void reject(SourceRow row, Object id, String reason);
}
