package dev.infera.batch;

import dev.infera.batch.io.OutputColumn;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The distribution of each numeric output column, as mergeable KLL quantile sketches (Apache
 * DataSketches): one per partition, stored in the manifest, merged for the summary.
 * Single-threaded.
 */
final class OutputDistribution {
  private static final double[] RANKS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

  private final List<String> names = new ArrayList<>();
  private final List<Integer> positions = new ArrayList<>();
  private final Map<String, KllDoublesSketch> sketches = new LinkedHashMap<>();
  private final Map<String, Double> sums = new LinkedHashMap<>();
  private double[] column = new double[0];

  /** A distribution over the numeric columns (all but the first, the id) of an output layout. */
  OutputDistribution(List<OutputColumn> columns) {
    for (int i = 1; i < columns.size(); i++) {
      OutputColumn column = columns.get(i);
      if (column.type() != OutputColumn.Type.TEXT) {
        names.add(column.name());
        positions.add(i);
        sketches.put(column.name(), KllDoublesSketch.newHeapInstance());
        sums.put(column.name(), 0.0);
      }
    }
  }

  /** Adds one output row's values. */
  void add(Object[] row) {
    for (int i = 0; i < names.size(); i++) {
      Object value = row[positions.get(i)];
      double number = value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).doubleValue();
      if (!Double.isNaN(number)) {
        sketches.get(names.get(i)).update(number);
        sums.merge(names.get(i), number, Double::sum);
      }
    }
  }

  /**
   * Adds rows whose numeric columns are all FLOAT, given row after row (as {@link #add}): each
   * column's values go to its sketch in one bulk update, which sorts them once instead of
   * compacting as they arrive one by one.
   */
  void addFloats(float[] values, int rows) {
    int width = values.length / rows;
    if (column.length < rows) {
      column = new double[rows];
    }
    for (int i = 0; i < names.size(); i++) {
      double sum = sums.get(names.get(i));
      int kept = 0;
      for (int r = 0, at = positions.get(i) - 1; r < rows; r++, at += width) {
        double number = values[at];
        if (!Double.isNaN(number)) {
          column[kept++] = number;
          sum += number;
        }
      }
      if (kept > 0) {
        sketches.get(names.get(i)).update(column, 0, kept);
      }
      sums.put(names.get(i), sum);
    }
  }

  /**
   * The sketches, serialized for the manifest: column → [base64 sketch, sum]. Empty where the
   * sketch library cannot serialize on this JDK (datasketches-memory 3 refuses on JDK 25): a
   * resumed job's summary then covers the partitions of its last run only.
   */
  Map<String, List<Object>> serialize() {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    for (String name : names) {
      try {
        out.put(
            name,
            List.of(
                Base64.getEncoder().encodeToString(sketches.get(name).toByteArray()),
                sums.get(name)));
      } catch (RuntimeException | LinkageError unsupported) {
        return Map.of();
      }
    }
    return out;
  }

  /** Merges sketches serialized by {@link #serialize}. */
  void merge(Map<String, List<Object>> serialized) {
    for (Map.Entry<String, List<Object>> entry : serialized.entrySet()) {
      KllDoublesSketch own = sketches.get(entry.getKey());
      if (own == null) {
        continue;
      }
      byte[] bytes = Base64.getDecoder().decode((String) entry.getValue().get(0));
      try {
        own.merge(KllDoublesSketch.heapify(Memory.wrap(bytes)));
      } catch (RuntimeException | LinkageError unsupported) {
        continue; // see serialize
      }
      sums.merge(entry.getKey(), ((Number) entry.getValue().get(1)).doubleValue(), Double::sum);
    }
  }

  /** Per column: count, min, max, mean and quantiles p1 .. p99 (KLL, about 1.3 % rank error). */
  Map<String, Map<String, Object>> summary() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (String name : names) {
      KllDoublesSketch sketch = sketches.get(name);
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("count", sketch.getN());
      if (!sketch.isEmpty()) {
        stats.put("min", sketch.getMinItem());
        stats.put("max", sketch.getMaxItem());
        stats.put("mean", sums.get(name) / sketch.getN());
        for (double rank : RANKS) {
          stats.put(
              "p" + Math.round(rank * 100),
              sketch.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE));
        }
      }
      out.put(name, stats);
    }
    return out;
  }
}
