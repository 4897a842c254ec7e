package dev.infera.core.scheduling;

import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What requests must share to run in one batch: the same inputs by name, each of the same type and
 * the same shape after the batch dimension, and the same set of requested outputs. Immutable.
 */
final class BatchKey {
  private final String[] inputNames;
  private final DataType[] types;
  private final long[][] rowShapes;
  private final String[] outputNames;
  private final int hash;

  private BatchKey(
      String[] inputNames, DataType[] types, long[][] rowShapes, String[] outputNames) {
    this.inputNames = inputNames;
    this.types = types;
    this.rowShapes = rowShapes;
    this.outputNames = outputNames;
    int h = Arrays.hashCode(inputNames);
    h = 31 * h + Arrays.hashCode(types);
    h = 31 * h + Arrays.deepHashCode(rowShapes);
    this.hash = 31 * h + Arrays.hashCode(outputNames);
  }

  /**
   * The key of a request whose inputs are sorted by name; empty ({@code null}) when an input has no
   * batch dimension to concatenate along, so the request never shares a batch.
   */
  static BatchKey of(Tensor[] sortedInputs, List<String> outputNames) {
    int count = sortedInputs.length;
    String[] names = new String[count];
    DataType[] types = new DataType[count];
    long[][] shapes = new long[count][];
    for (int i = 0; i < count; i++) {
      Tensor input = sortedInputs[i];
      if (input.rank() == 0) {
        return null;
      }
      names[i] = input.name();
      types[i] = input.dataType();
      long[] shape = input.shape();
      shapes[i] = Arrays.copyOfRange(shape, 1, shape.length);
    }
    String[] outputs = outputNames.toArray(new String[0]);
    Arrays.sort(outputs);
    return new BatchKey(names, types, shapes, outputs);
  }

  /** The inputs sorted by name, the order batched inputs are concatenated and passed in. */
  static Tensor[] sortedByName(List<Tensor> inputs) {
    List<Tensor> sorted = new ArrayList<>(inputs);
    sorted.sort(Comparator.comparing(Tensor::name));
    return sorted.toArray(new Tensor[0]);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof BatchKey that
        && hash == that.hash
        && Arrays.equals(inputNames, that.inputNames)
        && Arrays.equals(types, that.types)
        && Arrays.deepEquals(rowShapes, that.rowShapes)
        && Arrays.equals(outputNames, that.outputNames);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
