package dev.infera.batch.io;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** In-memory DuckDB connections for Parquet files; nothing is stored in a database file. */
final class DuckDb {
  private DuckDb() {}

  /**
   * A new in-memory connection whose queries stream their results.
   *
   * @param threads DuckDB's worker threads for this connection's database
   */
  static Connection open(int threads) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("jdbc_stream_results", "true");
    properties.setProperty("threads", Integer.toString(threads));
    properties.setProperty("memory_limit", "512MB");
    return DriverManager.getConnection("jdbc:duckdb:", properties);
  }

  /** A path as a SQL string literal. */
  static String literal(Path path) {
    return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
  }

  /** A name as a SQL identifier. */
  static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
