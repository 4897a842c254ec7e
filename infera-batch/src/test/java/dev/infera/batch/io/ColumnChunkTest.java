package dev.infera.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColumnChunkTest {
  /** What one way of reading gave: per chunk, the values' bits and the null marks. */
  private record Read(List<int[]> floatBits, List<long[]> doubleBits, List<boolean[]> nulls) {}

  private static Read read(Path file, DuckDb duckDb, boolean bulk) {
    List<int[]> floatBits = new ArrayList<>();
    List<long[]> doubleBits = new ArrayList<>();
    List<boolean[]> nulls = new ArrayList<>();
    try (ParquetColumns source =
        ParquetColumns.open(InputFiles.resolve(List.of(file)), duckDb).orElseThrow()) {
      if (!bulk) {
        source.readValueByValue();
      }
      for (ColumnChunk chunk = source.next(); chunk != null; chunk = source.next()) {
        // the FLOAT column and the DOUBLE one, each as FP32 and as FP64, interleaved as in a tensor
        float[] floats = new float[chunk.size() * 2];
        double[] doubles = new double[chunk.size() * 2];
        boolean[] marks = new boolean[chunk.size() * 4];
        boolean[] each = new boolean[chunk.size()];
        for (int column = 1; column <= 2; column++) {
          java.util.Arrays.fill(each, false);
          chunk.copyFloats(column, floats, column - 1, 2, each);
          System.arraycopy(each, 0, marks, (column - 1) * chunk.size(), chunk.size());
          java.util.Arrays.fill(each, false);
          chunk.copyDoubles(column, doubles, column - 1, 2, each);
          System.arraycopy(each, 0, marks, (column + 1) * chunk.size(), chunk.size());
        }
        int[] fb = new int[floats.length];
        for (int i = 0; i < floats.length; i++) {
          fb[i] = Float.floatToRawIntBits(floats[i]);
        }
        long[] db = new long[doubles.length];
        for (int i = 0; i < doubles.length; i++) {
          db[i] = Double.doubleToRawLongBits(doubles[i]);
        }
        floatBits.add(fb);
        doubleBits.add(db);
        nulls.add(marks);
      }
    }
    return new Read(floatBits, doubleBits, nulls);
  }

  @Test
  void bulkReadsGiveTheValuesAndNullsOfReadsValueByValue(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("values.parquet");
    try (DuckDb duckDb = new DuckDb()) {
      try (Connection connection = duckDb.connect();
          Statement statement = connection.createStatement()) {
        // nulls at word edges (63, 64, 127; 320, 640 and 1024 after valid rows), a whole null
        // word (128-191), chunk edges (2047, 2048) and scattered; NaN, -0, infinity and a
        // subnormal among the values
        statement.execute(
            "COPY (SELECT i AS id,"
                + " CASE WHEN i % 97 = 0 OR i IN (63, 64, 127, 320, 1024, 2047, 2048)"
                + " OR i BETWEEN 128 AND 191 THEN NULL"
                + " WHEN i = 5 THEN 'NaN'::FLOAT WHEN i = 6 THEN -0.0::FLOAT"
                + " ELSE CAST(i * 0.37 - 100 AS FLOAT) END AS f,"
                + " CASE WHEN i % 89 = 0 OR i = 640 THEN NULL WHEN i = 5 THEN 'NaN'::DOUBLE"
                + " WHEN i = 7 THEN 'inf'::DOUBLE WHEN i = 8 THEN 4.9e-324"
                + " ELSE i * 1.1e-3 END AS d"
                + " FROM range(5000) t(i)) TO "
                + DuckDb.literal(file)
                + " (FORMAT parquet)");
      }
      assertThat(VectorBuffers.AVAILABLE).as("DuckDB's vector buffers are where expected").isTrue();

      Read bulk = read(file, duckDb, true);
      Read valueByValue = read(file, duckDb, false);

      assertThat(bulk.floatBits()).hasSize(3); // 2,048 + 2,048 + 904 rows
      for (int c = 0; c < bulk.floatBits().size(); c++) {
        assertThat(bulk.floatBits().get(c))
            .as("chunk %d FP32", c)
            .isEqualTo(valueByValue.floatBits().get(c));
        assertThat(bulk.doubleBits().get(c))
            .as("chunk %d FP64", c)
            .isEqualTo(valueByValue.doubleBits().get(c));
        assertThat(bulk.nulls().get(c))
            .as("chunk %d nulls", c)
            .isEqualTo(valueByValue.nulls().get(c));
      }
      // the nulls were seen: rows 63 and 128-191 of the first chunk, in the FLOAT column
      boolean[] first = bulk.nulls().get(0);
      assertThat(first[63]).isTrue();
      assertThat(first[150]).isTrue();
      assertThat(first[62]).isFalse();
      assertThat(first[2047]).isTrue();
      assertThat(bulk.nulls().get(1)[0]).isTrue(); // row 2048
    }
  }
}
