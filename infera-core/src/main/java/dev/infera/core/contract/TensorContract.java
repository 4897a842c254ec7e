package dev.infera.core.contract;

import dev.infera.spi.DataType;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What the configuration promises about one input or output, batch dimension excluded.
 *
 * @param name the tensor's name
 * @param dataType its element type
 * @param dims the shape clients see, without the batch dimension; -1 accepts any size
 * @param modelDims the shape the model itself takes or gives ({@code reshape}), without the batch
 *     dimension; empty when it is the same as {@code dims}
 */
public record TensorContract(
    String name, DataType dataType, long[] dims, Optional<long[]> modelDims) {
  public TensorContract {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataType, "dataType");
    dims = dims.clone();
    modelDims = modelDims.map(long[]::clone);
  }

  @Override
  public long[] dims() {
    return dims.clone();
  }

  /** Whether a shape (batch dimension excluded) fits {@link #dims}. */
  boolean accepts(long[] shape, int offset) {
    if (shape.length - offset != dims.length) {
      return false;
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] != -1 && dims[i] != shape[offset + i]) {
        return false;
      }
    }
    return true;
  }

  /** The dims as text, with the batch dimension shown as -1 when the model has one. */
  String describe(boolean batched) {
    if (!batched) {
      return Arrays.toString(dims);
    }
    long[] full = new long[dims.length + 1];
    full[0] = -1;
    System.arraycopy(dims, 0, full, 1, dims.length);
    return Arrays.toString(full);
  }
}
