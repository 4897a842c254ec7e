package dev.infera.backend.xgboost;

/**
 * Computes FIL's outputs from XGBoost's per-row predictions. Stateless and thread-safe.
 *
 * <p>Binary classifiers ({@code numGroups == 1}): XGBoost predicts p = P(class 1); probabilities
 * are [1 - p, p] (or p alone where the configuration declares one column) and the class index is 1
 * where p &gt; threshold. Multi-class models: probabilities are XGBoost's own ({@code
 * multi:softprob}) or the softmax of the margins ({@code multi:softmax}, which predicts the index);
 * the class index is the most probable class.
 */
final class FilOutputs {
  private final BoosterShape shape;
  private final float threshold;

  FilOutputs(BoosterShape shape, float threshold) {
    this.shape = shape;
    this.threshold = threshold;
  }

  BoosterShape shape() {
    return shape;
  }

  /**
   * One output's values, row-major.
   *
   * @param values XGBoost's transformed predictions, null if no output needs them
   * @param margins XGBoost's margins, null if no output needs them
   */
  float[] compute(TensorLayout.Output output, int rows, float[][] values, float[][] margins) {
    return switch (output.kind()) {
      case MARGIN -> flatten(margins, rows, shape.numGroups());
      case PREDICTION -> flatten(values, rows, shape.valueWidth());
      case CLASS_INDEX -> classIndex(values, rows);
      case PROBABILITIES -> probabilities(output.width(), values, margins, rows);
    };
  }

  private float[] classIndex(float[][] values, int rows) {
    float[] out = new float[rows];
    for (int row = 0; row < rows; row++) {
      if (!shape.multiClass()) {
        out[row] = values[row][0] > threshold ? 1f : 0f;
      } else if (shape.valuesAreClassProbabilities()) {
        out[row] = argmax(values[row]);
      } else {
        out[row] = values[row][0];
      }
    }
    return out;
  }

  private float[] probabilities(int width, float[][] values, float[][] margins, int rows) {
    if (shape.multiClass()) {
      if (shape.valuesAreClassProbabilities()) {
        return flatten(values, rows, width);
      }
      float[] out = new float[rows * width];
      for (int row = 0; row < rows; row++) {
        softmax(margins[row], out, row * width);
      }
      return out;
    }
    float[] out = new float[rows * width];
    for (int row = 0; row < rows; row++) {
      float p = values[row][0];
      if (width == 1) {
        out[row] = p;
      } else {
        out[2 * row] = 1f - p;
        out[2 * row + 1] = p;
      }
    }
    return out;
  }

  private static float[] flatten(float[][] rowsOfValues, int rows, int width) {
    float[] out = new float[rows * width];
    for (int row = 0; row < rows; row++) {
      System.arraycopy(rowsOfValues[row], 0, out, row * width, width);
    }
    return out;
  }

  private static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  private static void softmax(float[] margin, float[] out, int offset) {
    double max = Double.NEGATIVE_INFINITY;
    for (float value : margin) {
      max = Math.max(max, value);
    }
    double sum = 0;
    for (float value : margin) {
      sum += Math.exp(value - max);
    }
    for (int i = 0; i < margin.length; i++) {
      out[offset + i] = (float) (Math.exp(margin[i] - max) / sum);
    }
  }
}
