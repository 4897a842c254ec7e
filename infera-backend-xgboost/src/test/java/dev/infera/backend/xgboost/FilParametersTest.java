package dev.infera.backend.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FilParametersTest {

  @Test
  void defaultsAreFilsRegressorWithThresholdOneHalf() {
    assertThat(FilParameters.parse(Map.of())).isEqualTo(FilParameters.DEFAULTS);
    assertThat(FilParameters.DEFAULTS.outputClass()).isFalse();
    assertThat(FilParameters.DEFAULTS.threshold()).isEqualTo(0.5f);
  }

  @Test
  void readsEveryFilParameter() {
    FilParameters parameters =
        FilParameters.parse(
            Map.of(
                "model_type", "xgboost_ubj",
                "output_class", "TRUE",
                "predict_proba", "true",
                "threshold", "0.3",
                "margin_output", "logit"));

    assertThat(parameters)
        .isEqualTo(
            new FilParameters(
                Optional.of(ModelFormat.XGBOOST_UBJ), true, true, 0.3f, Optional.of("logit")));
  }

  @Test
  void isClassifierIsFilsNewerNameForOutputClass() {
    assertThat(FilParameters.parse(Map.of("is_classifier", "true")).outputClass()).isTrue();
  }

  @Test
  void filEngineTuningParametersAreAcceptedAndIgnored() {
    FilParameters parameters =
        FilParameters.parse(Map.of("storage_type", "SPARSE", "threads_per_tree", "4"));

    assertThat(parameters).isEqualTo(FilParameters.DEFAULTS);
  }

  @Test
  void badBooleanNamesTheParameter() {
    assertInvalid(Map.of("output_class", "yes"), "parameter 'output_class' is 'yes'");
  }

  @Test
  void unknownModelTypeNamesTheParameter() {
    assertInvalid(Map.of("model_type", "lightgbm"), "parameter 'model_type' is 'lightgbm'");
  }

  @Test
  void nonNumericThresholdNamesTheParameter() {
    assertInvalid(Map.of("threshold", "high"), "parameter 'threshold' is 'high'");
  }

  @Test
  void nanThresholdIsRejected() {
    assertInvalid(Map.of("threshold", "NaN"), "parameter 'threshold'");
  }

  @Test
  void unknownKeyIsRejected() {
    assertInvalid(Map.of("output_klass", "true"), "unknown parameter 'output_klass'");
  }

  @Test
  void probabilitiesWithoutClassifierAreRejected() {
    assertInvalid(Map.of("predict_proba", "true"), "parameter 'predict_proba' is true");
  }

  @Test
  void disagreeingClassifierFlagsAreRejected() {
    assertInvalid(Map.of("output_class", "true", "is_classifier", "false"), "disagree");
  }

  @Test
  void everyProblemIsListedAtOnce() {
    assertThatThrownBy(
            () -> FilParameters.parse(Map.of("threshold", "x", "predict_proba", "maybe", "a", "b")))
        .hasMessageContaining("'threshold'")
        .hasMessageContaining("'predict_proba'")
        .hasMessageContaining("unknown parameter 'a'");
  }

  private static void assertInvalid(Map<String, String> parameters, String message) {
    assertThatThrownBy(() -> FilParameters.parse(parameters))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }
}
