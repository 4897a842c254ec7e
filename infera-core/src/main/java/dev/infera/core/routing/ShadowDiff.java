package dev.infera.core.routing;

import dev.infera.spi.DataType;
import dev.infera.spi.HalfPrecision;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a shadow's answer to one request differs from the primary's, per output: the mean and largest
 * absolute difference of the elements, and for outputs with more than one element per row whether
 * every row's largest element (the predicted class) is at the same position.
 *
 * @param agrees whether every output matches within {@link #TOLERANCE} (relative to the magnitude,
 *     at least absolute)
 * @param outputs the figures per output name
 */
public record ShadowDiff(boolean agrees, Map<String, OutputDiff> outputs) {
  /** Two elements agree when they differ by at most this, times max(1, |primary|). */
  public static final double TOLERANCE = 1e-5;

  /**
   * @param meanAbsDiff mean absolute difference of the elements
   * @param maxAbsDiff largest absolute difference
   * @param classAgreement share of rows whose arg-max is the same (1 for single-valued rows)
   * @param elements how many elements were compared
   */
  public record OutputDiff(
      double meanAbsDiff, double maxAbsDiff, double classAgreement, long elements) {}

  public ShadowDiff {
    outputs = Map.copyOf(outputs);
  }

  /** Compares two answers output by output (outputs missing on either side disagree). */
  public static ShadowDiff of(List<Tensor> primary, List<Tensor> shadow) {
    Map<String, Tensor> byName = new HashMap<>();
    shadow.forEach(t -> byName.put(t.name(), t));
    Map<String, OutputDiff> outputs = new HashMap<>();
    boolean agrees = primary.size() == shadow.size();
    for (Tensor p : primary) {
      Tensor s = byName.get(p.name());
      double[] a = Numbers.values(p);
      double[] b = s == null ? null : Numbers.values(s);
      if (a == null || b == null || a.length != b.length) {
        agrees = false;
        continue;
      }
      OutputDiff diff = compare(a, b, p.rank() == 0 ? 1 : (int) p.shape()[p.rank() - 1]);
      outputs.put(p.name(), diff);
      agrees &= withinTolerance(a, b);
    }
    return new ShadowDiff(agrees, outputs);
  }

  private static boolean withinTolerance(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > TOLERANCE * Math.max(1, Math.abs(a[i]))) {
        return false;
      }
    }
    return true;
  }

  private static OutputDiff compare(double[] a, double[] b, int rowWidth) {
    double sum = 0;
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs(a[i] - b[i]);
      sum += d;
      max = Math.max(max, d);
    }
    int width = Math.max(1, rowWidth);
    int rows = a.length / width;
    int same = 0;
    for (int r = 0; r < rows; r++) {
      if (argMax(a, r * width, width) == argMax(b, r * width, width)) {
        same++;
      }
    }
    return new OutputDiff(
        a.length == 0 ? 0 : sum / a.length, max, rows == 0 ? 1 : (double) same / rows, a.length);
  }

  private static int argMax(double[] values, int from, int width) {
    int best = 0;
    for (int i = 1; i < width; i++) {
      if (values[from + i] > values[from + best]) {
        best = i;
      }
    }
    return best;
  }

  /** Reads numeric tensors as doubles. */
  public static final class Numbers {
    private Numbers() {}

    /** The tensor's elements as doubles; null for BYTES tensors. */
    public static double[] values(Tensor tensor) {
      DataType type = tensor.dataType();
      if (type == DataType.BYTES) {
        return null;
      }
      int n = (int) tensor.elementCount();
      ByteBuffer data = tensor.data();
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = read(type, data, i);
      }
      return values;
    }

    private static double read(DataType type, ByteBuffer data, int i) {
      return switch (type) {
        case BOOL, UINT8 -> data.get(i) & 0xff;
        case INT8 -> data.get(i);
        case INT16 -> data.getShort(i * 2);
        case UINT16 -> data.getShort(i * 2) & 0xffff;
        case INT32 -> data.getInt(i * 4);
        case UINT32 -> data.getInt(i * 4) & 0xffffffffL;
        case INT64, UINT64 -> data.getLong(i * 8);
        case FP16 -> HalfPrecision.halfToFloat(data.getShort(i * 2));
        case BF16 -> HalfPrecision.bfloat16ToFloat(data.getShort(i * 2));
        case FP32 -> data.getFloat(i * 4);
        case FP64 -> data.getDouble(i * 8);
        default -> Double.NaN;
      };
    }
  }
}
