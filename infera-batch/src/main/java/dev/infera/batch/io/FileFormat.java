package dev.infera.batch.io;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The table file formats batch jobs read and write. */
public enum FileFormat {
  CSV("csv"),
  JSONL("jsonl"),
  PARQUET("parquet");

  private final String extension;

  FileFormat(String extension) {
    this.extension = extension;
  }

  /** The extension written files get, without the dot. */
  public String extension() {
    return extension;
  }

  /**
   * The format a file's name says: {@code .csv}, {@code .jsonl}/{@code .ndjson}, {@code .parquet}.
   */
  public static Optional<FileFormat> ofPath(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return Optional.of(CSV);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return Optional.of(JSONL);
    }
    if (name.endsWith(".parquet")) {
      return Optional.of(PARQUET);
    }
    return Optional.empty();
  }

  /** Parses a {@code --format} value: csv, jsonl (or json) or parquet, any case. */
  public static FileFormat parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "csv" -> CSV;
      case "jsonl", "json", "ndjson" -> JSONL;
      case "parquet" -> PARQUET;
      default ->
          throw new IllegalArgumentException(
              "format '" + value + "' (expected csv, jsonl or parquet)");
    };
  }
}
