package dev.infera.bench.input;

import java.util.Arrays;

/**
 * A shape given on the command line for one input, {@code NAME:d1,d2,...}: either the full shape
 * or, for a batched input, the shape of one row (without the batch dimension).
 */
public record ShapeOverride(String name, long[] dims) {

  public ShapeOverride {
    dims = dims.clone();
  }

  @Override
  public long[] dims() {
    return dims.clone();
  }

  /**
   * Parses {@code NAME:d1,d2,...}; the name may itself contain colons (the last one separates).
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static ShapeOverride parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(
          "--shape '" + text + "' (expected NAME:d1,d2,... with positive integer dimensions)");
    }
    String[] parts = text.substring(colon + 1).split(",", -1);
    long[] dims = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        dims[i] = Long.parseLong(parts[i].trim());
      } catch (NumberFormatException e) {
        dims[i] = 0;
      }
      if (dims[i] < 1) {
        throw new IllegalArgumentException(
            "--shape '" + text + "': dimension '" + parts[i] + "' (expected a positive integer)");
      }
    }
    return new ShapeOverride(text.substring(0, colon), dims);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ShapeOverride that
        && name.equals(that.name)
        && Arrays.equals(dims, that.dims);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return name + ":" + Arrays.toString(dims);
  }
}
