package dev.infera.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows through the Parquet sink and back through DuckDB: types, nulls, order and both paths. */
class ParquetSinkTest {
  @TempDir Path dir;
  private int files;

  @Test
  void rowsAndFloatBatchesComeBackInOrderWithTheirTypesAndNulls() throws Exception {
    List<OutputColumn> columns =
        List.of(
            new OutputColumn("id", OutputColumn.Type.BIGINT),
            new OutputColumn("p0", OutputColumn.Type.FLOAT),
            new OutputColumn("p1", OutputColumn.Type.FLOAT));
    List<List<Object>> read =
        writeAndRead(
            columns,
            sink -> {
              sink.write(new Object[] {1L, 0.25f, null});
              sink.writeFloats(
                  List.of(2L, 3L, 4L), new float[] {0.5f, 1.5f, -0f, Float.NaN, 7f, 8f}, 3);
              sink.write(new Object[] {5L, Float.MIN_VALUE, 9f});
              sink.writeFloats(List.of(6L), new float[] {10f, 11f}, 1);
            });
    assertThat(read)
        .containsExactly(
            List.of("id BIGINT", "p0 FLOAT", "p1 FLOAT"),
            Arrays.asList(1L, 0.25f, null),
            List.of(2L, 0.5f, 1.5f),
            List.of(3L, -0f, Float.NaN),
            List.of(4L, 7f, 8f),
            List.of(5L, Float.MIN_VALUE, 9f),
            List.of(6L, 10f, 11f));
  }

  @Test
  void everyColumnTypeAndTextIdsKeepTheirValues() throws Exception {
    List<OutputColumn> columns =
        List.of(
            new OutputColumn("key", OutputColumn.Type.TEXT),
            new OutputColumn("score", OutputColumn.Type.DOUBLE),
            new OutputColumn("count", OutputColumn.Type.BIGINT),
            new OutputColumn("flag", OutputColumn.Type.BOOLEAN),
            new OutputColumn("text", OutputColumn.Type.TEXT));
    List<List<Object>> read =
        writeAndRead(
            columns,
            sink -> {
              sink.write(new Object[] {"k0", 0.1, 7L, true, "emoji 🚀, \"quoted\""});
              sink.write(new Object[] {"k1", null, null, null, null});
              sink.write(new Object[] {"k2", 2.5f, 3, false, ""});
            });
    assertThat(read)
        .containsExactly(
            List.of("key VARCHAR", "score DOUBLE", "count BIGINT", "flag BOOLEAN", "text VARCHAR"),
            List.of("k0", 0.1, 7L, true, "emoji 🚀, \"quoted\""),
            Arrays.asList("k1", null, null, null, null),
            List.of("k2", 2.5, 3L, false, ""));

    List<OutputColumn> floatsWithTextIds =
        List.of(
            new OutputColumn("id", OutputColumn.Type.TEXT),
            new OutputColumn("p", OutputColumn.Type.FLOAT));
    assertThat(
            writeAndRead(
                floatsWithTextIds,
                sink -> sink.writeFloats(List.of("a", "b,c"), new float[] {1f, 2f}, 2)))
        .containsExactly(List.of("id VARCHAR", "p FLOAT"), List.of("a", 1f), List.of("b,c", 2f));
  }

  @Test
  void aPartitionWithNoRowsIsAnEmptyFileWithItsColumns() throws Exception {
    List<OutputColumn> columns =
        List.of(
            new OutputColumn("id", OutputColumn.Type.BIGINT),
            new OutputColumn("p", OutputColumn.Type.FLOAT));
    assertThat(writeAndRead(columns, sink -> {})).containsExactly(List.of("id BIGINT", "p FLOAT"));
  }

  /**
   * Writes through a fresh Parquet sink, closes it, and reads the file back: its column names and
   * types, then its rows in file order.
   */
  private List<List<Object>> writeAndRead(List<OutputColumn> columns, Consumer<RowSink> writes)
      throws SQLException {
    Path file = dir.resolve("out-" + files++ + ".parquet");
    try (DuckDb duckDb = new DuckDb()) {
      RowSink sink = Sinks.create(FileFormat.PARQUET, file, columns, duckDb);
      writes.accept(sink);
      sink.close();
      return read(duckDb, file);
    }
  }

  private static List<List<Object>> read(DuckDb duckDb, Path file) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Connection connection = duckDb.connect();
        Statement statement = connection.createStatement();
        ResultSet results =
            statement.executeQuery("SELECT * FROM read_parquet(" + DuckDb.literal(file) + ")")) {
      List<Object> header = new ArrayList<>();
      int count = results.getMetaData().getColumnCount();
      for (int i = 1; i <= count; i++) {
        header.add(
            results.getMetaData().getColumnName(i)
                + " "
                + results.getMetaData().getColumnTypeName(i));
      }
      rows.add(header);
      while (results.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
          row.add(results.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
