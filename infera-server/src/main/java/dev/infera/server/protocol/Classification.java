package dev.infera.server.protocol;

import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The classification extension: replaces a numeric output by its top {@code k} classes along the
 * last dimension, as BYTES strings {@code "value:index"}, or {@code "value:index:label"} when the
 * output has a label for that class ({@code label_filename}), highest value first (ties: lower
 * index first). Shape {@code [..., C]} becomes {@code [..., min(k, C)]}.
 */
public final class Classification {
  private Classification() {}

  public static Tensor topK(Tensor output, int k) {
    return topK(output, k, List.of());
  }

  /**
   * @param labels label {@code i} names class {@code i}; classes past its end have none
   */
  public static Tensor topK(Tensor output, int k, List<String> labels) {
    if (!output.dataType().isFixedSize() || output.dataType() == DataType.BOOL) {
      throw InferenceException.invalidArgument(
          "output '"
              + output.name()
              + "': classification needs a numeric output, not "
              + output.dataType());
    }
    long[] shape = output.shape();
    // A long: an empty output's last dimension may exceed an int (shape [0, 2^31]).
    long classes = shape.length == 0 ? 1 : shape[shape.length - 1];
    int keep = (int) Math.min(k, classes);
    long rows = classes == 0 ? 0 : output.elementCount() / classes;
    ByteBuffer data = output.data();
    List<byte[]> classified = new ArrayList<>((int) (rows * keep));
    int[] best = new int[keep];
    for (long row = 0; row < rows; row++) {
      long base = row * classes;
      int found = 0;
      for (int c = 0; c < classes; c++) { // rows > 0: classes <= elementCount, an int
        double value = TensorValues.asDouble(data, output.dataType(), base + c);
        int slot = found;
        while (slot > 0
            && TensorValues.asDouble(data, output.dataType(), base + best[slot - 1]) < value) {
          slot--;
        }
        if (slot < keep) {
          System.arraycopy(best, slot, best, slot + 1, Math.min(found, keep - 1) - slot);
          best[slot] = c;
          found = Math.min(found + 1, keep);
        }
      }
      for (int i = 0; i < keep; i++) {
        String text = TensorValues.asText(data, output.dataType(), base + best[i]) + ":" + best[i];
        if (best[i] < labels.size()) {
          text += ":" + labels.get(best[i]);
        }
        classified.add(text.getBytes(StandardCharsets.UTF_8));
      }
    }
    long[] newShape = shape.length == 0 ? new long[] {keep} : shape.clone();
    newShape[newShape.length - 1] = keep;
    return Tensor.ofBytes(output.name(), newShape, classified);
  }
}
