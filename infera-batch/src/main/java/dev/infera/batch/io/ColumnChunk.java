package dev.infera.batch.io;

import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBReadableVector;

/**
 * Up to 2,048 consecutive rows of one Parquet file as DuckDB decoded them, column by column: the
 * vectors are read in place (no boxing), and a row holding a null is marked so that its owner can
 * send it the row-at-a-time way. Valid until its {@link ParquetColumns} moves on. Single-threaded.
 */
public final class ColumnChunk {
  private final String file;
  private final long firstRow;
  private final DuckDBDataChunkReader chunk;
  private final ColumnKind[] kinds;
  private final Scratch scratch;
  private final boolean bulk;
  private final int size;

  ColumnChunk(
      String file,
      long firstRow,
      DuckDBDataChunkReader chunk,
      ColumnKind[] kinds,
      Scratch scratch,
      boolean bulk) {
    this.file = file;
    this.firstRow = firstRow;
    this.chunk = chunk;
    this.kinds = kinds;
    this.scratch = scratch;
    this.bulk = bulk;
    this.size = Math.toIntExact(chunk.rowCount());
  }

  /**
   * A column's values between DuckDB's buffer and the tensor, kept from chunk to chunk by the
   * reader that owns it (on its thread).
   */
  static final class Scratch {
    private float[] floats = new float[0];
    private double[] doubles = new double[0];

    float[] floats(int size) {
      if (floats.length < size) {
        floats = new float[size];
      }
      return floats;
    }

    double[] doubles(int size) {
      if (doubles.length < size) {
        doubles = new double[size];
      }
      return doubles;
    }
  }

  /** The file's name. */
  public String file() {
    return file;
  }

  /** The file row number (from 1) of the chunk's first row. */
  public long firstRow() {
    return firstRow;
  }

  public int size() {
    return size;
  }

  /**
   * Copies a FLOAT or DOUBLE column into {@code out[row * stride + offset]} as float, as {@code
   * (float)} of the double the row path reads; sets {@code nulls[row]} for a null. A FLOAT column
   * is read in bulk from DuckDB's buffer where it can be ({@link VectorBuffers}), else value by
   * value.
   */
  public void copyFloats(int column, float[] out, int offset, int stride, boolean[] nulls) {
    DuckDBReadableVector vector = chunk.vector(column);
    boolean floats = isFloat(column);
    float[] values = scratch.floats(size);
    if (bulk && floats && VectorBuffers.floats(vector, size, values, nulls)) {
      for (int r = 0, at = offset; r < size; r++, at += stride) {
        out[at] = values[r];
      }
      return;
    }
    for (int r = 0, at = offset; r < size; r++, at += stride) {
      out[at] = (float) value(vector, floats, r, nulls);
    }
  }

  /** As {@link #copyFloats}, into doubles; a DOUBLE column read in bulk where it can be. */
  public void copyDoubles(int column, double[] out, int offset, int stride, boolean[] nulls) {
    DuckDBReadableVector vector = chunk.vector(column);
    boolean floats = isFloat(column);
    double[] values = scratch.doubles(size);
    if (bulk && !floats && VectorBuffers.doubles(vector, size, values, nulls)) {
      for (int r = 0, at = offset; r < size; r++, at += stride) {
        out[at] = values[r];
      }
      return;
    }
    for (int r = 0, at = offset; r < size; r++, at += stride) {
      out[at] = value(vector, floats, r, nulls);
    }
  }

  private boolean isFloat(int column) {
    if (kinds[column] != ColumnKind.FLOAT) {
      requireKind(column, ColumnKind.DOUBLE);
    }
    return kinds[column] == ColumnKind.FLOAT;
  }

  /** A FLOAT (widened) or DOUBLE value; NaN and {@code nulls[row]} set for a null. */
  private static double value(
      DuckDBReadableVector vector, boolean floats, int row, boolean[] nulls) {
    double value = floats ? vector.getFloat(row, Float.NaN) : vector.getDouble(row, Double.NaN);
    if (Double.isNaN(value) && vector.isNull(row)) {
      nulls[row] = true;
    }
    return value;
  }

  /**
   * Copies an id column — BIGINT or INTEGER as {@code Long}, VARCHAR as {@code String} (the id
   * values of the row path) — into {@code out[row]}; sets {@code nulls[row]} for a null.
   */
  public void copyIds(int column, Object[] out, boolean[] nulls) {
    DuckDBReadableVector vector = chunk.vector(column);
    ColumnKind kind = kinds[column];
    for (int r = 0; r < size; r++) {
      if (vector.isNull(r)) {
        nulls[r] = true;
        out[r] = null;
        continue;
      }
      out[r] =
          switch (kind) {
            case BIGINT -> vector.getLong(r);
            case INTEGER -> (long) vector.getInt(r);
            case VARCHAR -> vector.getString(r);
            default -> throw new IllegalStateException("column " + column + " is no id column");
          };
    }
  }

  /**
   * One row as the row-at-a-time reader gives it, with only the named columns filled (the others
   * null): {@code Float}, {@code Double}, {@code Long} or {@code Integer}, null for a null.
   *
   * @param columnCount the file's number of columns
   */
  public SourceRow row(int row, int columnCount, int[] columns) {
    Object[] values = new Object[columnCount];
    for (int column : columns) {
      DuckDBReadableVector vector = chunk.vector(column);
      if (vector.isNull(row)) {
        continue;
      }
      values[column] =
          switch (kinds[column]) {
            case FLOAT -> vector.getFloat(row);
            case DOUBLE -> vector.getDouble(row);
            case BIGINT -> vector.getLong(row);
            case INTEGER -> vector.getInt(row);
            case VARCHAR -> vector.getString(row);
            case OTHER -> throw new IllegalStateException("column " + column + " is not columnar");
          };
    }
    return SourceRow.of(file, firstRow + row, 0, values);
  }

  private void requireKind(int column, ColumnKind kind) {
    if (kinds[column] != kind) {
      throw new IllegalStateException(
          "column " + column + " is " + kinds[column] + ", not " + kind);
    }
  }
}
