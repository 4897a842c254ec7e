package dev.infera.batch.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.duckdb.DuckDBReadableVector;

/**
 * A FLOAT or DOUBLE vector's values read in bulk from the buffers DuckDB's chunk reader wraps (its
 * {@code data} and {@code validity}), instead of one checked call per value: one copy per column
 * and chunk, as fast before the JIT's second compiler has seen the job's loops as after, which lets
 * a Parquet job run on the first compiler alone (docs/batch.md, "JVM settings"). DuckDB's JDBC
 * driver keeps those buffers private; with a driver that names or types them otherwise, {@link
 * #AVAILABLE} is false and {@link ColumnChunk} reads value by value (the same values: {@code
 * ColumnChunkTest} compares both). Stateless; the arrays are the caller's.
 */
final class VectorBuffers {
  private static final VarHandle DATA = field("data");
  private static final VarHandle VALIDITY = field("validity");

  /** Whether this driver's vectors hold their buffers where expected. */
  static final boolean AVAILABLE = DATA != null && VALIDITY != null;

  private VectorBuffers() {}

  private static VarHandle field(String name) {
    try {
      return MethodHandles.privateLookupIn(DuckDBReadableVector.class, MethodHandles.lookup())
          .findVarHandle(DuckDBReadableVector.class, name, ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The first {@code rows} values of a FLOAT vector into {@code out[0..rows)}; a null row as NaN,
   * marked in {@code nulls}. False, with nothing copied, when the buffers are not there to read.
   */
  static boolean floats(DuckDBReadableVector vector, int rows, float[] out, boolean[] nulls) {
    ByteBuffer data = data(vector, rows, Float.BYTES);
    if (data == null) {
      return false;
    }
    data.asFloatBuffer().get(0, out, 0, rows);
    ByteBuffer mask = validity(vector);
    for (int row = nextNull(mask, 0, rows); row < rows; row = nextNull(mask, row + 1, rows)) {
      nulls[row] = true;
      out[row] = Float.NaN;
    }
    return true;
  }

  /** As {@link #floats}, for a DOUBLE vector. */
  static boolean doubles(DuckDBReadableVector vector, int rows, double[] out, boolean[] nulls) {
    ByteBuffer data = data(vector, rows, Double.BYTES);
    if (data == null) {
      return false;
    }
    data.asDoubleBuffer().get(0, out, 0, rows);
    ByteBuffer mask = validity(vector);
    for (int row = nextNull(mask, 0, rows); row < rows; row = nextNull(mask, row + 1, rows)) {
      nulls[row] = true;
      out[row] = Double.NaN;
    }
    return true;
  }

  /** The data buffer from its start, in its own byte order; null when it cannot hold the rows. */
  private static ByteBuffer data(DuckDBReadableVector vector, int rows, int width) {
    if (!AVAILABLE) {
      return null;
    }
    ByteBuffer data = (ByteBuffer) DATA.get(vector);
    if (data == null || data.capacity() < (long) rows * width) {
      return null;
    }
    return data.duplicate().order(data.order()).clear();
  }

  /** DuckDB's validity mask (64 rows a word, a clear bit a null), or null when no row is null. */
  private static ByteBuffer validity(DuckDBReadableVector vector) {
    ByteBuffer validity = (ByteBuffer) VALIDITY.get(vector);
    return validity == null ? null : validity.duplicate().order(validity.order());
  }

  /** The first null row from {@code from}, or {@code rows} when there is none. */
  private static int nextNull(ByteBuffer mask, int from, int rows) {
    if (mask == null) {
      return rows;
    }
    for (int row = from; row < rows; ) {
      long bits = mask.getLong((row >>> 6) * Long.BYTES) >>> (row & 63);
      if (bits == (-1L >>> (row & 63))) {
        row = (row | 63) + 1; // the rest of this word is valid
        continue;
      }
      return Math.min(rows, row + Long.numberOfTrailingZeros(~bits));
    }
    return rows;
  }
}
