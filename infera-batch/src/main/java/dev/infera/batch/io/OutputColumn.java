package dev.infera.batch.io;

import java.util.Objects;

/**
 * One column of an output file.
 *
 * @param name its name
 * @param type what its values are
 */
public record OutputColumn(String name, Type type) {
  public OutputColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** Column types and the Java values a sink takes for them. */
  public enum Type {
    /** {@code String} */
    TEXT("VARCHAR"),
    /** {@code Long} */
    BIGINT("BIGINT"),
    /** {@code Float} */
    FLOAT("FLOAT"),
    /** {@code Double} */
    DOUBLE("DOUBLE"),
    /** {@code Boolean} */
    BOOLEAN("BOOLEAN");

    private final String sql;

    Type(String sql) {
      this.sql = sql;
    }

    String sql() {
      return sql;
    }
  }
}
