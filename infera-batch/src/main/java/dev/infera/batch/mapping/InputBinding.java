package dev.infera.batch.mapping;

import dev.infera.spi.DataType;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where one model input's values come from in a row: either {@code width} scalar columns, or one
 * column holding an array of {@code width} values (or, for a width-1 input, a single value).
 *
 * @param input the input's name
 * @param dataType its element type
 * @param dims its shape per row (batch dimension excluded), all fixed
 * @param width the number of values per row (the product of {@code dims})
 * @param columns the column indexes: {@code width} scalar columns, or one array column
 */
public record InputBinding(
    String input, DataType dataType, long[] dims, int width, int[] columns, String[] names) {
  public InputBinding {
    Objects.requireNonNull(input, "input");
    dims = dims.clone();
    columns = columns.clone();
    names = names.clone();
  }

  /** Whether one column holds all the row's values (an array, or the single value). */
  public boolean arrayColumn() {
    return columns.length == 1;
  }

  /** The input's shape for a batch of {@code rows} rows. */
  public long[] batchShape(int rows) {
    long[] shape = new long[dims.length + 1];
    shape[0] = rows;
    System.arraycopy(dims, 0, shape, 1, dims.length);
    return shape;
  }

  @Override
  public String toString() {
    return input + " <- " + (names.length <= 4 ? Arrays.toString(names) : describeRange());
  }

  private String describeRange() {
    return "[" + names[0] + " .. " + names[names.length - 1] + "] (" + names.length + " columns)";
  }
}
