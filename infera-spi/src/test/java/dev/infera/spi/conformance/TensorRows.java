package dev.infera.spi.conformance;

import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Merges tensors along dimension 0 and splits them again, as a batcher does. */
public final class TensorRows {
  private TensorRows() {}

  /** The parts' rows, in order, under one tensor; all parts share type and non-batch dims. */
  public static Tensor concat(List<Tensor> parts) {
    Tensor first = parts.get(0);
    long rows = 0;
    for (Tensor part : parts) {
      if (part.dataType() != first.dataType()
          || !Arrays.equals(trailing(part.shape()), trailing(first.shape()))) {
        throw new IllegalArgumentException("cannot merge " + part + " with " + first);
      }
      rows += part.dim(0);
    }
    long[] shape = first.shape();
    shape[0] = rows;
    if (first.dataType() == DataType.BYTES) {
      List<byte[]> elements = new ArrayList<>();
      parts.forEach(part -> elements.addAll(part.elements()));
      return Tensor.ofBytes(first.name(), shape, elements);
    }
    ByteBuffer merged =
        ByteBuffer.allocate(
                Math.toIntExact(Tensor.elementCount(shape) * first.dataType().byteSize()))
            .order(ByteOrder.LITTLE_ENDIAN);
    parts.forEach(part -> merged.put(part.data()));
    merged.flip();
    return Tensor.of(first.name(), first.dataType(), shape, merged);
  }

  /** Rows {@code [from, from + count)} of a tensor. */
  public static Tensor slice(Tensor tensor, long from, long count) {
    long[] shape = tensor.shape();
    long rowElements = Tensor.elementCount(trailing(shape));
    shape[0] = count;
    if (tensor.dataType() == DataType.BYTES) {
      int start = Math.toIntExact(from * rowElements);
      int end = Math.toIntExact((from + count) * rowElements);
      return Tensor.ofBytes(tensor.name(), shape, tensor.elements().subList(start, end));
    }
    int rowBytes = Math.toIntExact(rowElements * tensor.dataType().byteSize());
    ByteBuffer data = tensor.data();
    data.position(Math.toIntExact(from * rowBytes));
    data.limit(Math.toIntExact((from + count) * rowBytes));
    return Tensor.of(tensor.name(), tensor.dataType(), shape, data.slice());
  }

  private static long[] trailing(long[] shape) {
    return Arrays.copyOfRange(shape, 1, shape.length);
  }
}
