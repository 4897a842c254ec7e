package dev.infera.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Spark row values as the batch code reads them (see {@link dev.infera.batch.io.SourceRow}): arrays
 * as {@code java.util.List}, everything else as Spark gives it (String, boxed numbers, Boolean,
 * byte[], BigDecimal).
 */
final class SparkValues {
  private SparkValues() {}

  static Object[] of(Row row) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = value(row.get(i));
    }
    return values;
  }

  private static Object value(Object value) {
    if (value instanceof scala.collection.Seq<?> seq) {
      List<Object> list = new ArrayList<>(seq.size());
      scala.collection.Iterator<?> items = seq.iterator();
      while (items.hasNext()) {
        list.add(value(items.next()));
      }
      return list;
    }
    return value;
  }
}
