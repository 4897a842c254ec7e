package dev.infera.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * The declared name, type and shape of a model input or output. A dimension of -1 is dynamic. The
 * shape is the full shape the model sees, batch dimension included where the model has one.
 */
public record TensorSpec(String name, DataType dataType, long[] shape) {
  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataType, "dataType");
    shape = shape.clone();
    for (long dim : shape) {
      if (dim < -1) {
        throw new IllegalArgumentException(
            "tensor '" + name + "': dimension " + dim + " (expected -1 or >= 0)");
      }
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSpec that
        && name.equals(that.name)
        && dataType == that.dataType
        && Arrays.equals(shape, that.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dataType, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + ":" + dataType + Arrays.toString(shape);
  }
}
