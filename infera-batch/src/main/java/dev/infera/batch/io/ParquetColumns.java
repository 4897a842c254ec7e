package dev.infera.batch.io;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.duckdb.DuckDBChunkedResult;
import org.duckdb.DuckDBPreparedStatement;

/**
 * The rows of Parquet files, one file after the other in file order, as DuckDB's data chunks (its
 * chunked result API: the decoded column vectors, read in place) instead of one JDBC call per
 * value. The columnar counterpart of {@link Sources#open} for Parquet input. Single-threaded.
 */
public final class ParquetColumns implements AutoCloseable {
  private final List<Path> files;
  private final DuckDb duckDb;
  private final List<String> columns;
  private final ColumnKind[] kinds;
  private final ColumnChunk.Scratch scratch = new ColumnChunk.Scratch();
  private boolean bulk = VectorBuffers.AVAILABLE;
  private String selectList = "*";
  private int index = -1;
  private String name;
  private long rowsOfFile;
  private Connection connection;
  private DuckDBPreparedStatement statement;
  private DuckDBChunkedResult result;

  private ParquetColumns(
      List<Path> files, DuckDb duckDb, List<String> columns, ColumnKind[] kinds) {
    this.files = List.copyOf(files);
    this.duckDb = duckDb;
    this.columns = List.copyOf(columns);
    this.kinds = kinds;
  }

  /**
   * The input's rows as chunks, when every file is Parquet with the first file's column names and
   * types; empty otherwise (the row-at-a-time reader then reports what differs, where it differs).
   */
  public static Optional<ParquetColumns> open(InputFiles input, DuckDb duckDb) {
    if (input.format() != FileFormat.PARQUET) {
      return Optional.empty();
    }
    List<String> names = null;
    List<String> types = null;
    try (Connection connection = duckDb.connect();
        Statement describe = connection.createStatement()) {
      for (Path file : input.files()) {
        List<String> fileNames = new ArrayList<>();
        List<String> fileTypes = new ArrayList<>();
        try (ResultSet rows =
            describe.executeQuery(
                "DESCRIBE SELECT * FROM read_parquet(" + DuckDb.literal(file) + ")")) {
          while (rows.next()) {
            fileNames.add(rows.getString("column_name"));
            fileTypes.add(rows.getString("column_type"));
          }
        }
        if (names == null) {
          names = fileNames;
          types = fileTypes;
        } else if (!names.equals(fileNames) || !types.equals(fileTypes)) {
          return Optional.empty();
        }
      }
    } catch (SQLException e) {
      return Optional.empty();
    }
    ColumnKind[] kinds = types.stream().map(ColumnKind::of).toArray(ColumnKind[]::new);
    return Optional.of(new ParquetColumns(input.files(), duckDb, names, kinds));
  }

  public List<String> columns() {
    return columns;
  }

  public List<ColumnKind> kinds() {
    return List.of(kinds);
  }

  /**
   * Decodes only these columns (by index): the others read as nulls DuckDB does not take from the
   * file, so that a wide file's unused columns cost nothing (and a type the chunk reader cannot
   * take, such as a LIST, does not fail the read), and the indices stay those of {@link #columns}.
   * The others' {@link #kinds} still name the file's types: read only these. Before the first
   * {@link #next}.
   */
  public void readOnly(int[] used) {
    if (index >= 0) {
      throw new IllegalStateException("the columns to read are chosen before the first chunk");
    }
    boolean[] read = new boolean[columns.size()];
    for (int column : used) {
      read[column] = true;
    }
    StringJoiner select = new StringJoiner(", ");
    for (int c = 0; c < read.length; c++) {
      String column = DuckDb.identifier(columns.get(c));
      // typed: DuckDB's chunk reader refuses a vector of the NULL type
      select.add(read[c] ? column : "CAST(NULL AS INTEGER) AS " + column);
    }
    selectList = select.toString();
  }

  /**
   * Reads FLOAT and DOUBLE columns value by value instead of in bulk from DuckDB's buffers (to
   * compare the two); before the first {@link #next}.
   */
  void readValueByValue() {
    bulk = false;
  }

  /** The next chunk, or null after the last file; the previous chunk is no longer valid. */
  public ColumnChunk next() {
    try {
      while (true) {
        if (result != null && result.nextChunk()) {
          ColumnChunk chunk =
              new ColumnChunk(name, rowsOfFile + 1, result.chunk(), kinds, scratch, bulk);
          rowsOfFile += chunk.size();
          return chunk;
        }
        closeFile();
        if (++index >= files.size()) {
          return null;
        }
        openFile(files.get(index));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read Parquet file '"
              + name
              + "' at row "
              + (rowsOfFile + 1)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private void openFile(Path file) throws SQLException {
    name = file.getFileName().toString();
    rowsOfFile = 0;
    connection = duckDb.connect();
    statement =
        connection
            .prepareStatement(
                "SELECT " + selectList + " FROM read_parquet(" + DuckDb.literal(file) + ")")
            .unwrap(DuckDBPreparedStatement.class);
    result = statement.query();
  }

  private void closeFile() throws SQLException {
    try (Connection c = connection;
        Statement s = statement;
        DuckDBChunkedResult r = result) {
      // closed in reverse order
    } finally {
      connection = null;
      statement = null;
      result = null;
    }
  }

  @Override
  public void close() {
    try {
      closeFile();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close Parquet reader: " + e.getMessage(), e);
    }
  }
}
