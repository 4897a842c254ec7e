package dev.infera.backend.xgboost;

import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One native XGBoost booster and the predictions it makes.
 *
 * <p>Threading: XGBoost documents prediction as thread-safe for tree boosters ({@code gbtree},
 * {@code dart}) since 1.4, as long as nobody changes the booster meanwhile; its parameters are
 * therefore set once, here, before any prediction. {@link #close} must not overlap a prediction.
 */
final class BoosterPredictor implements AutoCloseable {
  private final Booster booster;
  private final AtomicBoolean closed = new AtomicBoolean();

  private BoosterPredictor(Booster booster) {
    this.booster = booster;
  }

  /**
   * Reads a model and sets its thread count.
   *
   * @throws InferenceException INVALID_ARGUMENT when XGBoost cannot read the file
   */
  static BoosterPredictor load(byte[] model, ModelFile file, int threads) {
    Booster booster;
    try {
      booster = XGBoost.loadModel(model);
    } catch (XGBoostError | IOException | RuntimeException e) {
      throw InferenceException.invalidArgument(
          "model file '"
              + file.path()
              + "' is not a model XGBoost can read as "
              + file.format().description()
              + ": "
              + NativeErrors.summary(e));
    }
    try {
      booster.setParam("nthread", threads);
      return new BoosterPredictor(booster);
    } catch (XGBoostError e) {
      booster.dispose();
      throw InferenceException.internal(
          "cannot set nthread=" + threads + " on '" + file.path() + "': " + NativeErrors.summary(e),
          e);
    }
  }

  /** Learns the feature count and output widths by predicting one row of missing values. */
  BoosterShape probe() {
    try {
      long features = booster.getNumFeature();
      if (features < 1 || features > Integer.MAX_VALUE) {
        throw InferenceException.invalidArgument(
            "the model declares " + features + " features (expected at least 1)");
      }
      float[] row = new float[(int) features];
      Arrays.fill(row, Float.NaN);
      Predictions probe = predict(row, 1, (int) features, true, true);
      return new BoosterShape((int) features, probe.margins()[0].length, probe.values()[0].length);
    } catch (XGBoostError e) {
      throw InferenceException.invalidArgument(
          "cannot inspect the model: " + NativeErrors.summary(e));
    }
  }

  /**
   * Predicts {@code rows} rows of {@code features} values each; NaN marks a missing value, as in
   * XGBoost. The native matrix is freed before this returns.
   *
   * @param values whether to compute the transformed predictions
   * @param margins whether to compute the margins
   */
  Predictions predict(float[] data, int rows, int features, boolean values, boolean margins)
      throws XGBoostError {
    DMatrix matrix = new DMatrix(data, rows, features, Float.NaN);
    try {
      float[][] predicted = values ? booster.predict(matrix) : null;
      float[][] margin = margins ? booster.predict(matrix, true) : null;
      return new Predictions(predicted, margin);
    } finally {
      matrix.dispose();
    }
  }

  /** Frees the native booster; later calls do nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      booster.dispose();
    }
  }

  /** XGBoost's per-row outputs; either may be null when it was not asked for. */
  record Predictions(float[][] values, float[][] margins) {}
}
