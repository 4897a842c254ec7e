package dev.infera.server.protocol;

import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The classification extension, as Triton answers it: replaces a numeric output by its top {@code
 * k} classes as BYTES strings {@code "score:index"}, or {@code "score:index:label"} when the output
 * has a label for that class ({@code label_filename}), highest score first (ties: lower index
 * first). The classes are all of an output's elements: for a model with a batch dimension, those of
 * each batch entry, so shape {@code [B, ...]} becomes {@code [B, min(k, n)]} where {@code n} is an
 * entry's element count; without one, shape {@code [...]} of {@code n} elements becomes {@code
 * [min(k, n)]}. The index counts elements in row-major order. Scores are written as C's {@code
 * std::to_string} writes them, as Triton does: six decimals for floating-point types ({@code
 * "0.700000"}), the plain number for integers.
 */
public final class Classification {
  private Classification() {}

  /** The top classes of an output with a batch dimension and no labels. */
  public static Tensor topK(Tensor output, int k) {
    return topK(output, k, List.of(), true);
  }

  /**
   * @param labels label {@code i} names class {@code i}; classes past its end have none
   * @param batched whether the output's first dimension is the batch (the model's {@code
   *     max_batch_size} is not 0)
   */
  public static Tensor topK(Tensor output, int k, List<String> labels, boolean batched) {
    DataType type = output.dataType();
    if (!type.isFixedSize() || type == DataType.BOOL) {
      throw InferenceException.invalidArgument(
          "output '" + output.name() + "': classification needs a numeric output, not " + type);
    }
    long[] shape = output.shape();
    boolean perEntry = batched && shape.length > 0;
    long entries = perEntry ? shape[0] : 1;
    // A long: an empty batch's entries may hold more elements than an int (shape [0, 2^31]).
    long classes = 1;
    for (int d = perEntry ? 1 : 0; d < shape.length; d++) {
      classes *= shape[d];
    }
    int keep = (int) Math.min(k, classes);
    ByteBuffer data = output.data();
    List<byte[]> classified = new ArrayList<>((int) (entries * keep));
    int[] best = new int[keep];
    for (long entry = 0; entry < entries; entry++) {
      long base = entry * classes;
      int found = 0;
      for (int c = 0; c < classes; c++) { // entries > 0: classes <= elementCount, an int
        double value = TensorValues.asDouble(data, type, base + c);
        int slot = found;
        while (slot > 0 && TensorValues.asDouble(data, type, base + best[slot - 1]) < value) {
          slot--;
        }
        if (slot < keep) {
          System.arraycopy(best, slot, best, slot + 1, Math.min(found, keep - 1) - slot);
          best[slot] = c;
          found = Math.min(found + 1, keep);
        }
      }
      for (int i = 0; i < keep; i++) {
        String text = score(data, type, base + best[i]) + ":" + best[i];
        if (best[i] < labels.size()) {
          text += ":" + labels.get(best[i]);
        }
        classified.add(text.getBytes(StandardCharsets.UTF_8));
      }
    }
    long[] newShape = perEntry ? new long[] {entries, keep} : new long[] {keep};
    return Tensor.ofBytes(output.name(), newShape, classified);
  }

  /**
   * A score as {@code std::to_string} writes it: {@code %f} for floating point, else the integer.
   */
  static String score(ByteBuffer data, DataType type, long index) {
    return switch (type) {
      case FP16, BF16, FP32, FP64 -> sixDecimals(TensorValues.asDouble(data, type, index));
      default -> TensorValues.asText(data, type, index);
    };
  }

  /** {@code printf("%f")}: the exact binary value rounded half-even to six decimals. */
  private static String sixDecimals(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    String text = new BigDecimal(value).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    boolean negative = value < 0 || (value == 0 && 1 / value < 0);
    return negative && !text.startsWith("-") ? "-" + text : text;
  }
}
