package dev.infera.batch.io;

import java.util.List;

/**
 * A stream of rows from one or more files, read in order without holding the file in memory.
 * Single-threaded: one job thread reads it.
 */
public interface RowSource extends AutoCloseable {

  /** The column names, in order; fixed before the first row. */
  List<String> columns();

  /** The next row, or null at the end. Rows with a value count unlike the header still return. */
  SourceRow next();

  @Override
  void close();
}
