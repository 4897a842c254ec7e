package dev.infera.batch;

import dev.infera.batch.io.SourceRow;

/**
 * Where a job's answers go, row by row, in input order: a partition's output and reject files
 * ({@code infera batch}), or a Spark partition's result rows (module infera-spark).
 */
public interface ScoredRows {

  /** One scored row, in the {@link dev.infera.batch.mapping.OutputLayout}'s column order. */
  void write(Object[] row);

  /**
   * One row that was not scored.
   *
   * @param row the row as read
   * @param id its id value; null when the id itself could not be read
   * @param reason what was wrong with it and what was expected
   */
  void reject(SourceRow row, Object id, String reason);
}
