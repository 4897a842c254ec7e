package dev.infera.batch.io;

import java.nio.file.Path;
import java.util.List;

/** Opens output files by format. */
public final class Sinks {
  private Sinks() {}

  public static RowSink create(
      FileFormat format, Path file, List<OutputColumn> columns, DuckDb duckDb) {
    return switch (format) {
      case CSV -> new CsvSink(file, columns);
      case JSONL -> new JsonLinesSink(file, columns);
      case PARQUET -> new ParquetSink(file, columns, duckDb);
    };
  }
}
