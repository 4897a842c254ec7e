package dev.infera.batch.io;

/**
 * Writes rows to one output file. Single-threaded. {@link #close} finishes the file; a sink closed
 * after a failure may leave a partial file, which its owner deletes.
 */
public interface RowSink extends AutoCloseable {

  /** Writes one row: one value per column, typed as {@link OutputColumn.Type} says. */
  void write(Object[] row);

  @Override
  void close();
}
