package dev.infera.bench.input;

import dev.infera.spi.DataType;
import java.util.Arrays;

/**
 * One model input as its metadata describes it: name, type and shape, where -1 marks a dynamic
 * dimension. A first dimension of -1 is taken as the batch dimension.
 */
public record TensorMeta(String name, DataType type, long[] shape) {

  public TensorMeta {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Whether dimension 0 is dynamic, which benchmarks treat as the batch dimension. */
  public boolean batched() {
    return shape.length > 0 && shape[0] == -1;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorMeta that
        && name.equals(that.name)
        && type == that.type
        && Arrays.equals(shape, that.shape);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + type.hashCode()) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + type + " " + Arrays.toString(shape);
  }

  /**
   * The type of a KServe v2 {@code datatype} string.
   *
   * @throws IllegalArgumentException naming the tensor and the accepted names
   */
  public static DataType dataType(String tensor, String datatype) {
    return DataType.fromProtocolName(
            datatype == null ? null : datatype.toUpperCase(java.util.Locale.ROOT))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "tensor '"
                        + tensor
                        + "': unknown datatype '"
                        + datatype
                        + "' (expected one of BOOL, UINT8..UINT64, INT8..INT64, FP16, BF16, FP32,"
                        + " FP64, BYTES)"));
  }
}
