package dev.infera.batch.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/** Opens the input of a job as one stream of rows, and counts its rows ahead of reading. */
public final class Sources {
  private Sources() {}

  /** Every file of the input, one after the other; all must have the first file's columns. */
  public static RowSource open(InputFiles input, DuckDb duckDb) {
    return new ConcatenatedSource(input.files(), file -> openFile(input.format(), file, duckDb));
  }

  static RowSource openFile(FileFormat format, Path file, DuckDb duckDb) {
    return switch (format) {
      case CSV -> new CsvSource(file);
      case JSONL -> new JsonLinesSource(file);
      case PARQUET -> new ParquetSource(file, duckDb);
    };
  }

  /**
   * The number of rows of the input: exact for Parquet (from its metadata); for text files the
   * number of non-empty lines (less the CSV header), which a quoted value spanning lines exceeds.
   */
  public static long countRows(InputFiles input, DuckDb duckDb) {
    return countRows(input, duckDb, () -> false).getAsLong();
  }

  /**
   * As {@link #countRows(InputFiles, DuckDb)}, giving up (empty) once {@code stop} says so, which
   * it asks between files and every 64 KiB of a text file.
   */
  public static OptionalLong countRows(InputFiles input, DuckDb duckDb, BooleanSupplier stop) {
    long total = 0;
    for (Path file : input.files()) {
      OptionalLong rows =
          switch (input.format()) {
            case CSV -> minusHeader(countLines(file, stop));
            case JSONL -> countLines(file, stop);
            case PARQUET -> OptionalLong.of(parquetRows(file, duckDb));
          };
      if (rows.isEmpty() || stop.getAsBoolean()) {
        return OptionalLong.empty();
      }
      total += rows.getAsLong();
    }
    return OptionalLong.of(total);
  }

  private static OptionalLong minusHeader(OptionalLong lines) {
    return lines.isPresent() ? OptionalLong.of(Math.max(0, lines.getAsLong() - 1)) : lines;
  }

  private static OptionalLong countLines(Path file, BooleanSupplier stop) {
    byte[] buffer = new byte[1 << 16];
    long lines = 0;
    boolean content = false;
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (stop.getAsBoolean()) {
          return OptionalLong.empty();
        }
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '\n') {
            if (content) {
              lines++;
            }
            content = false;
          } else if (b != '\r' && b != ' ' && b != '\t') {
            content = true;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + file + "': " + e.getMessage(), e);
    }
    return OptionalLong.of(content ? lines + 1 : lines);
  }

  private static long parquetRows(Path file, DuckDb duckDb) {
    try (Connection connection = duckDb.connect();
        Statement statement = connection.createStatement();
        ResultSet results =
            statement.executeQuery(
                "SELECT count(*) FROM read_parquet(" + DuckDb.literal(file) + ")")) {
      results.next();
      return results.getLong(1);
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "cannot read Parquet file '" + file.getFileName() + "': " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a file whose columns differ from the first file's, naming both (the Spark path too).
   *
   * @throws IllegalArgumentException when they differ
   */
  public static void checkSameColumns(Path file, List<String> expected, List<String> actual) {
    if (!expected.equals(actual)) {
      throw new IllegalArgumentException(
          "input '"
              + file.getFileName()
              + "' has columns "
              + actual
              + " (expected the first file's "
              + expected
              + ")");
    }
  }
}
