package dev.infera.backend.xgboost;

import static dev.infera.backend.xgboost.XgbTabular.floats;
import static dev.infera.backend.xgboost.XgbTabular.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend on models trained here with XGBoost4J (multi-class, linear) and on missing values,
 * checked against XGBoost4J's own predictions on the same rows.
 */
class TrainedModelsTest {
  private static final int FEATURES = 5;
  private static final int ROWS = 6;

  private final XgboostBackend backend = new XgboostBackend();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @TempDir Path folder;

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    backend.close();
  }

  @Test
  void missingValuesAreNaNAsInXgboost() throws XGBoostError {
    float[] rows = new float[3 * 64];
    Random random = new Random(3);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i % 3 == 0 ? Float.NaN : (float) random.nextGaussian();
    }
    Arrays.fill(rows, 64, 128, Float.NaN);
    Booster oracle =
        XGBoost.loadModel(XgbTabular.versionDirectory().resolve("model.ubj").toString());
    float[] expected = flatten(predict(oracle, rows, 3, 64, true));
    oracle.dispose();
    ModelInstance instance =
        instance(
            XgbTabular.request(
                XgbTabular.CLASSIFIER_WITH_PROBABILITIES, XgbTabular.declared(), none(), 1));

    Tensor margin =
        instance
            .execute(List.of(floats("features", new long[] {3, 64}, rows)), List.of("margin"))
            .get(0);

    assertThat(values(margin)).containsExactly(expected);
  }

  @Test
  void softprobProbabilitiesAreXgboostsOwn() throws XGBoostError {
    Booster oracle = train("multi:softprob", "gbtree");
    float[] rows = rows(ROWS, 11);
    ModelInstance instance = instance(filRequest(classifierWithProbabilities(), 1));

    Tensor output = execute(instance, rows);

    assertThat(output.shape()).containsExactly(ROWS, 3);
    assertThat(values(output))
        .containsExactly(flatten(predict(oracle, rows, ROWS, FEATURES, false)));
  }

  @Test
  void softprobClassIndexIsTheMostProbableClass() throws XGBoostError {
    Booster oracle = train("multi:softprob", "gbtree");
    float[] rows = rows(ROWS, 12);
    ModelInstance instance = instance(filRequest(Map.of("output_class", "true"), 1));

    Tensor output = execute(instance, rows);

    float[][] probabilities = predict(oracle, rows, ROWS, FEATURES, false);
    assertThat(output.shape()).containsExactly(ROWS, 1);
    for (int row = 0; row < ROWS; row++) {
      assertThat(values(output)[row]).isEqualTo(argmax(probabilities[row]));
    }
  }

  @Test
  void softmaxProbabilitiesAreTheSoftmaxOfTheMargins() throws XGBoostError {
    Booster oracle = train("multi:softmax", "gbtree");
    float[] rows = rows(ROWS, 13);
    ModelInstance instance = instance(filRequest(classifierWithProbabilities(), 1));

    float[] probabilities = values(execute(instance, rows));

    float[][] classes = predict(oracle, rows, ROWS, FEATURES, false);
    for (int row = 0; row < ROWS; row++) {
      float[] p = Arrays.copyOfRange(probabilities, row * 3, row * 3 + 3);
      assertThat(p[0] + p[1] + p[2]).isCloseTo(1f, within(1e-6f));
      assertThat(argmax(p)).isEqualTo(classes[row][0]);
    }
  }

  @Test
  void linearModelInstancesEachOwnABoosterAndRunConcurrently() throws Exception {
    Booster oracle = train("reg:squarederror", "gblinear");
    float[] rows = rows(ROWS, 14);
    float[] expected = flatten(predict(oracle, rows, ROWS, FEATURES, false));
    LoadedModel model = load(filRequest(Map.of(), 2));
    List<ModelInstance> instances = List.of(instance(model, 0), instance(model, 1));
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (ModelInstance instance : instances) {
        results.add(executor.submit(() -> values(execute(instance, rows))));
      }
      for (Future<float[]> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).containsExactly(expected);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  private Booster train(String objective, String booster) throws XGBoostError {
    float[] features = rows(300, 1);
    float[] labels = new float[300];
    for (int row = 0; row < labels.length; row++) {
      float x = features[row * FEATURES];
      labels[row] = x > 0.5f ? 2 : x > -0.5f ? 1 : 0;
    }
    DMatrix train = new DMatrix(features, 300, FEATURES, Float.NaN);
    train.setLabel(labels);
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("objective", objective);
    parameters.put("booster", booster);
    parameters.put("max_depth", 3);
    parameters.put("nthread", 1);
    parameters.put("seed", 0);
    if (objective.startsWith("multi:")) {
      parameters.put("num_class", 3);
    }
    Booster trained = XGBoost.train(train, parameters, 5, new HashMap<>(), null, null);
    train.dispose();
    trained.saveModel(folder.resolve("xgboost.json").toString());
    opened.add(trained::dispose);
    return trained;
  }

  private static float[][] predict(
      Booster booster, float[] rows, int count, int features, boolean margin) throws XGBoostError {
    DMatrix matrix = new DMatrix(rows, count, features, Float.NaN);
    try {
      return booster.predict(matrix, margin);
    } finally {
      matrix.dispose();
    }
  }

  private ModelLoadRequest filRequest(Map<String, String> parameters, int instances) {
    return XgbTabular.request(folder, parameters, XgbTabular.nothingDeclared(), none(), instances);
  }

  private static Map<String, String> classifierWithProbabilities() {
    return XgbTabular.CLASSIFIER_WITH_PROBABILITIES;
  }

  private static Tensor execute(ModelInstance instance, float[] rows) {
    Tensor input = floats("input__0", new long[] {rows.length / FEATURES, FEATURES}, rows);
    return instance.execute(List.of(input), List.of("output__0")).get(0);
  }

  private LoadedModel load(ModelLoadRequest request) {
    LoadedModel model = backend.load(request);
    opened.add(model);
    return model;
  }

  private ModelInstance instance(ModelLoadRequest request) {
    return instance(load(request), 0);
  }

  private ModelInstance instance(LoadedModel model, int index) {
    ModelInstance instance = model.newInstance(index);
    opened.add(instance);
    return instance;
  }

  private static float[] rows(int count, long seed) {
    Random random = new Random(seed);
    float[] rows = new float[count * FEATURES];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (float) random.nextGaussian();
    }
    return rows;
  }

  private static float[] flatten(float[][] rows) {
    int width = rows[0].length;
    float[] flat = new float[rows.length * width];
    for (int row = 0; row < rows.length; row++) {
      System.arraycopy(rows[row], 0, flat, row * width, width);
    }
    return flat;
  }

  private static float argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  private static Optional<String> none() {
    return Optional.empty();
  }
}
