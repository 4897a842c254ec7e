package dev.infera.batch.io;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Rows of one Parquet file, streamed by DuckDB in file order. */
final class ParquetSource implements RowSource {
  private final String name;
  private final Connection connection;
  private final Statement statement;
  private final ResultSet results;
  private final List<String> columns;
  private final int[] types;
  private long row;

  ParquetSource(Path file, DuckDb duckDb) {
    this.name = file.getFileName().toString();
    Connection opened = null;
    try {
      opened = duckDb.connect();
      this.connection = opened;
      this.statement = connection.createStatement();
      this.results =
          statement.executeQuery("SELECT * FROM read_parquet(" + DuckDb.literal(file) + ")");
      ResultSetMetaData meta = results.getMetaData();
      List<String> names = new ArrayList<>();
      this.types = new int[meta.getColumnCount()];
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        names.add(meta.getColumnName(i));
        types[i - 1] = meta.getColumnType(i);
      }
      this.columns = List.copyOf(names);
    } catch (SQLException e) {
      DuckDb.closeQuietly(opened); // its statement and results with it
      throw new IllegalArgumentException(
          "cannot read Parquet file '" + name + "': " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public SourceRow next() {
    try {
      if (!results.next()) {
        return null;
      }
      row++;
      Object[] values = new Object[types.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = value(i + 1);
      }
      return SourceRow.of(name, row, 0, values);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read Parquet file '" + name + "' at row " + (row + 1) + ": " + e.getMessage(), e);
    }
  }

  private Object value(int column) throws SQLException {
    switch (types[column - 1]) {
      case java.sql.Types.FLOAT, java.sql.Types.REAL -> {
        float value = results.getFloat(column);
        return results.wasNull() ? null : value;
      }
      case java.sql.Types.DOUBLE -> {
        double value = results.getDouble(column);
        return results.wasNull() ? null : value;
      }
      default -> {
        return plain(results.getObject(column));
      }
    }
  }

  private static Object plain(Object value) throws SQLException {
    if (value instanceof Array array) {
      Object[] items = (Object[]) array.getArray();
      List<Object> list = new ArrayList<>(items.length);
      for (Object item : items) {
        list.add(plain(item));
      }
      return list;
    }
    if (value instanceof Blob blob) {
      return blob.getBytes(1, (int) blob.length());
    }
    if (value instanceof Object[] items) {
      return plain(Arrays.asList(items));
    }
    return value;
  }

  private static Object plain(List<Object> items) throws SQLException {
    List<Object> list = new ArrayList<>(items.size());
    for (Object item : items) {
      list.add(plain(item));
    }
    return list;
  }

  @Override
  public void close() {
    try (connection;
        statement;
        results) {
      // closed in reverse order
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close Parquet reader: " + e.getMessage(), e);
    }
  }
}
