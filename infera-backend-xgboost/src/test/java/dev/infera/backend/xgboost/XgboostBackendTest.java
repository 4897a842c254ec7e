package dev.infera.backend.xgboost;

import static dev.infera.backend.xgboost.XgbTabular.floats;
import static dev.infera.backend.xgboost.XgbTabular.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import dev.infera.spi.conformance.ConformanceSample;
import dev.infera.spi.conformance.TensorComparison;
import dev.infera.spi.conformance.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The backend on the xgb_tabular reference model: outputs per FIL parameters, and input errors. */
class XgboostBackendTest {
  private final XgboostBackend backend = new XgboostBackend();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    backend.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"model.json", "model.ubj"})
  void referenceProbabilitiesAndMarginsAreReproducedExactly(String fileName) {
    ModelInstance instance =
        instance(XgbTabular.CLASSIFIER_WITH_PROBABILITIES, XgbTabular.declared(), fileName);

    for (ConformanceSample sample : XgbTabular.samples()) {
      List<Tensor> outputs = instance.execute(sample.inputs(), sample.outputNames());

      TensorComparison.assertAllMatch(
          fileName + "/" + sample.name(), outputs, sample.expectedOutputs(), Tolerance.exact());
    }
  }

  @Test
  void withNothingDeclaredTheTensorsHaveFilsNames() {
    LoadedModel model = load(XgbTabular.request(Map.of(), XgbTabular.nothingDeclared(), none(), 1));

    assertThat(model.signature())
        .isEqualTo(
            new ModelSignature(
                List.of(new TensorSpec("input__0", DataType.FP32, new long[] {-1, 64})),
                List.of(new TensorSpec("output__0", DataType.FP32, new long[] {-1, 1}))));
  }

  @Test
  void regressorModeGivesXgboostsPredictionPerRow() {
    ConformanceSample sample = XgbTabular.samples().get(1);
    ModelInstance instance = instance(Map.of("output_class", "false"), filDeclared(1), null);

    Tensor output = instance.execute(filInputs(sample), List.of("output__0")).get(0);

    assertThat(output.shape()).containsExactly(16, 1);
    assertThat(values(output)).containsExactly(positiveProbabilities(sample));
  }

  @Test
  void classIndexCutsAtTheDefaultThresholdOfOneHalf() {
    ConformanceSample sample = XgbTabular.samples().get(2);
    ModelInstance instance = instance(Map.of("output_class", "true"), filDeclared(1), null);

    Tensor output = instance.execute(filInputs(sample), List.of("output__0")).get(0);

    assertThat(values(output)).containsExactly(classes(positiveProbabilities(sample), 0.5f));
  }

  @Test
  void classIndexCutsAtTheConfiguredThreshold() {
    ConformanceSample sample = XgbTabular.samples().get(2);
    Map<String, String> parameters = Map.of("output_class", "true", "threshold", "0.9");
    ModelInstance instance = instance(parameters, filDeclared(1), null);

    Tensor output = instance.execute(filInputs(sample), List.of("output__0")).get(0);

    float[] expected = classes(positiveProbabilities(sample), 0.9f);
    assertThat(values(output)).containsExactly(expected);
    assertThat(expected)
        .as("some rows differ from the 0.5 cut")
        .isNotEqualTo(classes(positiveProbabilities(sample), 0.5f));
  }

  @Test
  void binaryProbabilitiesDeclaredWithOneColumnGiveTheSecondClassAlone() {
    ConformanceSample sample = XgbTabular.samples().get(1);
    ModelInstance instance =
        instance(XgbTabular.CLASSIFIER_WITH_PROBABILITIES, filDeclared(1), null);

    Tensor output = instance.execute(filInputs(sample), List.of("output__0")).get(0);

    assertThat(values(output)).containsExactly(positiveProbabilities(sample));
  }

  @Test
  void marginOutputParameterChoosesWhichOutputGetsTheMargin() {
    ConformanceSample sample = XgbTabular.samples().get(1);
    ModelSignature declared =
        new ModelSignature(
            XgbTabular.declared().inputs(),
            List.of(
                new TensorSpec("probabilities", DataType.FP32, new long[] {-1, 2}),
                new TensorSpec("logit", DataType.FP32, new long[] {-1, 1})));
    Map<String, String> parameters =
        Map.of("output_class", "true", "predict_proba", "true", "margin_output", "logit");
    ModelInstance instance = instance(parameters, declared, null);

    Tensor logit = instance.execute(sample.inputs(), List.of("logit")).get(0);

    assertThat(logit.shape()).containsExactly(16, 1);
    assertThat(values(logit)).containsExactly(values(XgbTabular.output(sample, "margin")));
  }

  @Test
  void emptyBatchGivesEmptyOutputs() {
    ModelInstance instance =
        instance(XgbTabular.CLASSIFIER_WITH_PROBABILITIES, XgbTabular.declared(), null);

    List<Tensor> outputs =
        instance.execute(
            List.of(floats("features", new long[] {0, 64})), List.of("probabilities", "margin"));

    assertThat(outputs.get(0).shape()).containsExactly(0, 2);
    assertThat(outputs.get(1).shape()).containsExactly(0);
  }

  @Test
  void wrongFeatureCountFailsNamingTheExpectedCount() {
    ModelInstance instance =
        instance(XgbTabular.CLASSIFIER_WITH_PROBABILITIES, XgbTabular.declared(), null);
    Tensor narrow = floats("features", new long[] {1, 63}, new float[63]);

    assertThatThrownBy(() -> instance.execute(List.of(narrow), List.of("margin")))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("'features'")
        .hasMessageContaining("64 features");
  }

  @Test
  void executeAfterCloseIsUnavailable() {
    ModelInstance instance =
        instance(XgbTabular.CLASSIFIER_WITH_PROBABILITIES, XgbTabular.declared(), null);
    instance.close();
    ConformanceSample sample = XgbTabular.samples().get(0);

    assertThatThrownBy(() -> instance.execute(sample.inputs(), List.of("margin")))
        .isInstanceOfSatisfying(
            InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }

  private ModelInstance instance(
      Map<String, String> parameters, ModelSignature declared, String fileName) {
    LoadedModel model =
        load(XgbTabular.request(parameters, declared, Optional.ofNullable(fileName), 1));
    ModelInstance instance = model.newInstance(0);
    opened.add(instance);
    return instance;
  }

  private LoadedModel load(ModelLoadRequest request) {
    LoadedModel model = backend.load(request);
    opened.add(model);
    return model;
  }

  /** FIL's config: input__0 [-1, 64] and output__0 [-1, width]. */
  private static ModelSignature filDeclared(int width) {
    return new ModelSignature(
        List.of(new TensorSpec("input__0", DataType.FP32, new long[] {-1, 64})),
        List.of(new TensorSpec("output__0", DataType.FP32, new long[] {-1, width})));
  }

  private static List<Tensor> filInputs(ConformanceSample sample) {
    return List.of(sample.inputs().get(0).withName("input__0"));
  }

  private static Optional<String> none() {
    return Optional.empty();
  }

  /** Column 1 of the reference probabilities: p = P(class 1) as XGBoost predicts it. */
  private static float[] positiveProbabilities(ConformanceSample sample) {
    float[] probabilities = values(XgbTabular.output(sample, "probabilities"));
    float[] positive = new float[probabilities.length / 2];
    for (int row = 0; row < positive.length; row++) {
      positive[row] = probabilities[2 * row + 1];
    }
    return positive;
  }

  private static float[] classes(float[] positive, float threshold) {
    float[] classes = new float[positive.length];
    for (int row = 0; row < positive.length; row++) {
      classes[row] = positive[row] > threshold ? 1f : 0f;
    }
    return classes;
  }
}
