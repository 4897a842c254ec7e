package dev.infera.batch.io;

/** The Parquet column types the columnar path reads without boxing; everything else is OTHER. */
public enum ColumnKind {
  FLOAT,
  DOUBLE,
  BIGINT,
  INTEGER,
  VARCHAR,
  OTHER;

  static ColumnKind of(String duckDbType) {
    return switch (duckDbType) {
      case "FLOAT" -> FLOAT;
      case "DOUBLE" -> DOUBLE;
      case "BIGINT" -> BIGINT;
      case "INTEGER" -> INTEGER;
      case "VARCHAR" -> VARCHAR;
      default -> OTHER;
    };
  }
}
