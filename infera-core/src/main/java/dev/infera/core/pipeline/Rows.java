package dev.infera.core.pipeline;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.HalfPrecision;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Row operations on tensors whose first dimension is the batch: reading values, taking some rows
 * and putting rows back in order. These copy (a subset of rows cannot share a buffer); whole
 * tensors pass between steps without them. Stateless.
 */
final class Rows {
  private Rows() {}

  /** The number of rows: the first dimension (1 for a scalar). */
  static int count(Tensor tensor) {
    return tensor.rank() == 0 ? 1 : (int) tensor.dim(0);
  }

  /** The value of element {@code index} as a double; BYTES elements are parsed as numbers. */
  static double value(Tensor tensor, long index) {
    if (tensor.dataType() == DataType.BYTES) {
      String text =
          new String(tensor.elements().get((int) index), java.nio.charset.StandardCharsets.UTF_8);
      try {
        return Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        throw new InferenceException(
            ErrorCode.INVALID_ARGUMENT,
            "tensor '" + tensor.name() + "': '" + text + "' is not a number to compare");
      }
    }
    ByteBuffer data = tensor.data();
    int at = (int) (index * tensor.dataType().byteSize());
    return switch (tensor.dataType()) {
      case BOOL, UINT8 -> data.get(at) & 0xFF;
      case INT8 -> data.get(at);
      case UINT16 -> data.getShort(at) & 0xFFFF;
      case INT16 -> data.getShort(at);
      case UINT32 -> data.getInt(at) & 0xFFFFFFFFL;
      case INT32 -> data.getInt(at);
      case UINT64, INT64 -> data.getLong(at);
      case FP16 -> HalfPrecision.halfToFloat(data.getShort(at));
      case BF16 -> HalfPrecision.bfloat16ToFloat(data.getShort(at));
      case FP32 -> data.getFloat(at);
      case FP64 -> data.getDouble(at);
      case BYTES -> throw new IllegalStateException("BYTES handled above");
    };
  }

  /** The largest value of each row. */
  static double[] rowMax(Tensor tensor) {
    int rows = count(tensor);
    long perRow = rows == 0 ? 0 : tensor.elementCount() / rows;
    double[] max = new double[rows];
    for (int r = 0; r < rows; r++) {
      double best = Double.NEGATIVE_INFINITY;
      for (long i = 0; i < perRow; i++) {
        best = Math.max(best, value(tensor, r * perRow + i));
      }
      max[r] = best;
    }
    return max;
  }

  /** The first value of each row (a router's key). */
  static double[] rowFirst(Tensor tensor) {
    int rows = count(tensor);
    long perRow = rows == 0 ? 0 : tensor.elementCount() / rows;
    if (perRow != 1) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "tensor '"
              + tensor.name()
              + "' has shape "
              + Arrays.toString(tensor.shape())
              + " (expected one value per row to route by)");
    }
    double[] first = new double[rows];
    for (int r = 0; r < rows; r++) {
      first[r] = value(tensor, r);
    }
    return first;
  }

  /** The given rows of a tensor, in the given order. */
  static Tensor take(Tensor tensor, int[] rows) {
    long[] shape = tensor.shape();
    int total = count(tensor);
    shape[0] = rows.length;
    if (tensor.dataType() == DataType.BYTES) {
      int perRow = total == 0 ? 0 : (int) (tensor.elementCount() / total);
      List<byte[]> elements = new ArrayList<>(rows.length * perRow);
      for (int row : rows) {
        elements.addAll(tensor.elements().subList(row * perRow, (row + 1) * perRow));
      }
      return Tensor.ofBytes(tensor.name(), shape, elements);
    }
    int rowBytes = total == 0 ? 0 : (int) (tensor.byteSize() / total);
    ByteBuffer source = tensor.data();
    ByteBuffer target = ByteBuffer.allocate(rows.length * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int row : rows) {
      target.put(source.slice(row * rowBytes, rowBytes));
    }
    return Tensor.of(tensor.name(), tensor.dataType(), shape, target.flip());
  }

  /**
   * A tensor of {@code total} rows assembled from parts: part {@code i} holds, in order, the rows
   * {@code rows.get(i)} of the result. Every row must be covered once; all parts share a datatype
   * and row shape.
   *
   * @throws InferenceException INTERNAL naming the tensor when the parts disagree
   */
  static Tensor assemble(String name, int total, List<int[]> rows, List<Tensor> parts) {
    Tensor first = parts.get(0);
    long[] shape = first.shape();
    shape[0] = total;
    for (Tensor part : parts) {
      long[] partShape = part.shape();
      partShape[0] = total;
      if (part.dataType() != first.dataType() || !Arrays.equals(partShape, shape)) {
        throw new InferenceException(
            ErrorCode.INTERNAL,
            "tensor '"
                + name
                + "': the models answering its rows disagree on its datatype or shape ("
                + first
                + " vs "
                + part
                + ")");
      }
    }
    if (first.dataType() == DataType.BYTES) {
      int perRow = (int) (Tensor.elementCount(shape) / Math.max(1, total));
      byte[][] elements = new byte[total * perRow][];
      for (int p = 0; p < parts.size(); p++) {
        List<byte[]> source = parts.get(p).elements();
        int[] at = rows.get(p);
        for (int i = 0; i < at.length; i++) {
          for (int e = 0; e < perRow; e++) {
            elements[at[i] * perRow + e] = source.get(i * perRow + e);
          }
        }
      }
      return Tensor.ofBytes(name, shape, Arrays.asList(elements));
    }
    int rowBytes =
        (int) (Tensor.elementCount(shape) * first.dataType().byteSize() / Math.max(1, total));
    ByteBuffer target = ByteBuffer.allocate(total * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int p = 0; p < parts.size(); p++) {
      ByteBuffer source = parts.get(p).data();
      int[] at = rows.get(p);
      for (int i = 0; i < at.length; i++) {
        target.put(at[i] * rowBytes, source, i * rowBytes, rowBytes);
      }
    }
    return Tensor.of(name, first.dataType(), shape, target);
  }

  /** A tensor of {@code shape} with every element {@code value}. */
  static Tensor constant(String name, DataType type, long[] shape, double value) {
    int count = (int) Tensor.elementCount(shape);
    ByteBuffer data = ByteBuffer.allocate(count * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      switch (type) {
        case BOOL, UINT8, INT8 -> data.put((byte) value);
        case UINT16, INT16 -> data.putShort((short) value);
        case UINT32, INT32 -> data.putInt((int) value);
        case UINT64, INT64 -> data.putLong((long) value);
        case FP16 -> data.putShort(HalfPrecision.floatToHalf((float) value));
        case BF16 -> data.putShort(HalfPrecision.floatToBfloat16((float) value));
        case FP32 -> data.putFloat((float) value);
        case FP64 -> data.putDouble(value);
        case BYTES -> throw new IllegalArgumentException("no constant BYTES tensor");
      }
    }
    return Tensor.of(name, type, shape, data.flip());
  }
}
