package dev.infera.batch.io;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * One in-memory DuckDB database for a job's Parquet files (nothing is stored in a database file),
 * opened on first use: opening a database costs about 0.1 s, so a job opens one, not one per file
 * and partition. Every reader and writer gets its own connection to it. Thread-safe; closing it
 * closes the database once the connections handed out are closed.
 */
public final class DuckDb implements AutoCloseable {
  private DuckDBConnection database;
  private boolean closed;

  /**
   * A database opened on a thread of its own, to overlap other start-up work (loading the model):
   * the driver unpacks its 72-MB native library from its jar to a temporary file at every start,
   * about 0.4 s, its driver class sets up a Flight Recorder event and {@code java.util.logging}
   * when first used, about 0.25 s more, and opening the database itself takes 0.05-0.1 s. The first
   * {@link #connect} waits for it; a failure is left for that call to report (it opens again).
   */
  public static DuckDb openedAhead() {
    DuckDb duckDb = new DuckDb();
    Thread opener = new Thread(duckDb::openQuietly, "infera-duckdb-load");
    opener.setDaemon(true);
    opener.start();
    return duckDb;
  }

  private synchronized void openQuietly() {
    try {
      if (database == null && !closed) {
        database = open();
      }
    } catch (SQLException | LinkageError | RuntimeException reportedLater) {
      // connect() opens again and reports what fails
    }
  }

  /** A new connection whose queries stream their results, to the database opened if need be. */
  public synchronized Connection connect() throws SQLException {
    if (closed) {
      throw new IllegalStateException("the job's DuckDB database is closed");
    }
    if (database == null) {
      database = open();
    }
    return database.duplicate();
  }

  private static DuckDBConnection open() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("jdbc_stream_results", "true");
    properties.setProperty("threads", "1");
    properties.setProperty("memory_limit", "512MB");
    // Local files are read once, in order: DuckDB's cache of file blocks would only copy them.
    properties.setProperty("enable_external_file_cache", "false");
    // The driver itself, not DriverManager: that would first load every JDBC driver on the
    // class path (tens of milliseconds), only to pick this one.
    return new DuckDBDriver().connect("jdbc:duckdb:", properties).unwrap(DuckDBConnection.class);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (database != null) {
      try {
        database.close();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot close DuckDB: " + e.getMessage(), e);
      } finally {
        database = null;
      }
    }
  }

  /**
   * Closes a connection whose user failed before it could own it (its statements and results go
   * with it); a failure to close adds nothing to the failure being reported.
   */
  static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException alreadyFailing) {
      // the caller reports the first failure
    }
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
