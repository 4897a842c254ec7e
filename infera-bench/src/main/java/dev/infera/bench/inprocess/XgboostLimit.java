package dev.infera.bench.inprocess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Runs an XGBoost model ({@code .json} or {@code .ubj}) in process. Each call builds a dense
 * DMatrix from the rows and predicts, as a server must for every batch.
 */
public final class XgboostLimit implements AutoCloseable {
  private final Booster booster;
  private final int features;

  /**
   * @param threads XGBoost's {@code nthread} for prediction
   */
  public XgboostLimit(Path file, int threads) throws XGBoostError {
    booster = XGBoost.loadModel(file.toString());
    booster.setParam("nthread", threads);
    features = Math.toIntExact(booster.getNumFeature());
  }

  public int features() {
    return features;
  }

  /** Runs random rows (uniform in [0, 1)) of one batch size from {@code threads} threads. */
  public InProcessResult run(
      int batchSize, int threads, long seed, Duration warmup, Duration duration)
      throws InterruptedException {
    float[] rows = new float[batchSize * features];
    Random random = new Random(seed);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = random.nextFloat();
    }
    return CallLoop.run(
        "xgboost",
        batchSize,
        threads,
        warmup,
        duration,
        () -> {
          DMatrix matrix = new DMatrix(rows, batchSize, features, Float.NaN);
          try {
            booster.predict(matrix);
          } finally {
            matrix.dispose();
          }
        });
  }

  @Override
  public void close() {
    booster.dispose();
  }
}
