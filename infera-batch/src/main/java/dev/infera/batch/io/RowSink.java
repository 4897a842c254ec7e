package dev.infera.batch.io;

import java.util.List;

/**
 * Writes rows to one output file. Single-threaded: one thread writes the rows and then calls {@link
 * #endRows}; {@link #close}, which finishes the file, may run on another thread after that (one
 * that the writing thread handed the sink to). A sink closed after a failure may leave a partial
 * file, which its owner deletes.
 */
public interface RowSink extends AutoCloseable {

  /** Writes one row: one value per column, typed as {@link OutputColumn.Type} says. */
  void write(Object[] row);

  /**
   * Writes rows whose columns after the id are all FLOAT.
   *
   * @param ids each row's id
   * @param values the rows' float columns, row after row
   */
  default void writeFloats(List<Object> ids, float[] values, int rows) {
    int width = values.length / rows;
    for (int r = 0; r < rows; r++) {
      Object[] row = new Object[width + 1];
      row[0] = ids.get(r);
      for (int i = 0; i < width; i++) {
        row[i + 1] = values[r * width + i];
      }
      write(row);
    }
  }

  /**
   * On the thread that wrote the rows, once the last is written: hands over whatever that thread
   * still holds of them (a sink whose library confines its writer to one thread).
   */
  default void endRows() {}

  @Override
  void close();
}
