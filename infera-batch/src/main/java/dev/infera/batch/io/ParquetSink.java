package dev.infera.batch.io;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.StringJoiner;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Parquet through DuckDB: rows are appended to an in-memory temporary table of the sink's own
 * connection (one partition's worth; DuckDB spills to disk past its memory limit) which {@link
 * #close} copies to the file.
 */
final class ParquetSink implements RowSink {
  private static final String TABLE = "output_rows";

  private final Path file;
  private final List<OutputColumn> columns;
  private final Connection connection;
  private final DuckDBAppender appender;

  ParquetSink(Path file, List<OutputColumn> columns, DuckDb duckDb) {
    this.file = file;
    this.columns = List.copyOf(columns);
    try {
      this.connection = duckDb.connect();
      StringJoiner definition = new StringJoiner(", ", "CREATE TEMP TABLE " + TABLE + " (", ")");
      for (OutputColumn column : columns) {
        definition.add(DuckDb.identifier(column.name()) + " " + column.type().sql());
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(definition.toString());
      }
      this.appender =
          connection.unwrap(DuckDBConnection.class).createAppender("temp", "main", TABLE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write '" + file + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void write(Object[] row) {
    try {
      appender.beginRow();
      for (int i = 0; i < row.length; i++) {
        Object value = row[i];
        if (value == null) {
          appender.appendNull();
          continue;
        }
        switch (columns.get(i).type()) {
          case TEXT -> appender.append(value.toString());
          case BIGINT -> appender.append(((Number) value).longValue());
          case FLOAT -> appender.append(((Number) value).floatValue());
          case DOUBLE -> appender.append(((Number) value).doubleValue());
          case BOOLEAN -> appender.append((boolean) (Boolean) value);
        }
      }
      appender.endRow();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write Parquet output: " + e.getMessage(), e);
    }
  }

  @Override
  public void writeFloats(List<Object> ids, float[] values, int rows) {
    int width = values.length / rows;
    OutputColumn.Type idType = columns.get(0).type();
    try {
      for (int r = 0, at = 0; r < rows; r++) {
        appender.beginRow();
        Object id = ids.get(r);
        if (idType == OutputColumn.Type.BIGINT) {
          appender.append(((Number) id).longValue());
        } else {
          appender.append(id.toString());
        }
        for (int i = 0; i < width; i++) {
          appender.append(values[at++]);
        }
        appender.endRow();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write Parquet output: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try (connection;
        Statement statement = connection.createStatement()) {
      appender.close();
      statement.execute(
          "COPY " + TABLE + " TO " + DuckDb.literal(file) + " (FORMAT parquet, COMPRESSION zstd)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write '" + file + "': " + e.getMessage(), e);
    }
  }
}
