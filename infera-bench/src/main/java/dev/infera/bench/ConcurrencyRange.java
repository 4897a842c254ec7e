package dev.infera.bench;

import java.util.ArrayList;
import java.util.List;

/** A concurrency sweep, {@code start[:end[:step]]} as perf_analyzer writes it, end included. */
record ConcurrencyRange(int start, int end, int step) {

  ConcurrencyRange {
    if (start < 1 || end < start || step < 1) {
      throw new IllegalArgumentException(
          "--concurrency-range "
              + start
              + ":"
              + end
              + ":"
              + step
              + " (expected 1 <= start <= end and step >= 1)");
    }
  }

  /**
   * @throws IllegalArgumentException naming the text and the expected form
   */
  static ConcurrencyRange parse(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length > 3) {
      throw new IllegalArgumentException(
          "--concurrency-range '" + text + "' (expected start[:end[:step]])");
    }
    int[] values = new int[3];
    for (int i = 0; i < parts.length; i++) {
      try {
        values[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--concurrency-range '"
                + text
                + "': '"
                + parts[i]
                + "' is not an integer (expected start[:end[:step]])");
      }
    }
    int start = values[0];
    int end = parts.length > 1 ? values[1] : start;
    int step = parts.length > 2 ? values[2] : 1;
    return new ConcurrencyRange(start, end, step);
  }

  /** The concurrency of each step, in order. */
  List<Integer> levels() {
    List<Integer> levels = new ArrayList<>();
    for (int level = start; level <= end; level += step) {
      levels.add(level);
    }
    return levels;
  }
}
