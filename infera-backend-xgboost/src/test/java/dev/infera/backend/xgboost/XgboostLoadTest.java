package dev.infera.backend.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding model files and checking the configuration at load time. */
class XgboostLoadTest {
  private final XgboostBackend backend = new XgboostBackend();

  @TempDir Path folder;

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  @Test
  void filDefaultFileNameOfTheModelTypeIsFound() throws IOException {
    copy("model.json", "xgboost.json");
    ModelLoadRequest request =
        XgbTabular.request(
            folder, Map.of("model_type", "xgboost_json"), XgbTabular.nothingDeclared(), none(), 1);

    try (LoadedModel model = backend.load(request)) {
      assertThat(model.signature().inputs().get(0).shape()).containsExactly(-1, 64);
    }
  }

  @Test
  void filDefaultFileIsRecognizedWithoutConfiguration() throws IOException {
    copy("model.ubj", "xgboost.ubj");

    assertThat(backend.recognizes(folder)).isTrue();
  }

  @Test
  void missingFileOfTheModelTypeFailsNamingTheFileLookedFor() throws IOException {
    copy("model.json", "xgboost.json");
    ModelLoadRequest request =
        XgbTabular.request(
            folder, Map.of("model_type", "xgboost_ubj"), XgbTabular.nothingDeclared(), none(), 1);

    assertFails(request, ErrorCode.NOT_FOUND).hasMessageContaining("xgboost.ubj");
  }

  @Test
  void configuredFileNameWithAnyExtensionLoadsWithModelType() throws IOException {
    copy("model.ubj", "scorer.bin");
    ModelLoadRequest request =
        XgbTabular.request(
            folder,
            Map.of("model_type", "xgboost_ubj"),
            XgbTabular.nothingDeclared(),
            Optional.of("scorer.bin"),
            1);

    try (LoadedModel model = backend.load(request)) {
      assertThat(model.signature().outputs()).hasSize(1);
    }
  }

  @Test
  void modelTypeThatContradictsTheFileFails() {
    ModelLoadRequest request =
        XgbTabular.request(
            Map.of("model_type", "xgboost_json"),
            XgbTabular.nothingDeclared(),
            Optional.of("model.ubj"),
            1);

    assertFails(request, ErrorCode.INVALID_ARGUMENT)
        .hasMessageContaining("model_type")
        .hasMessageContaining("UBJSON");
  }

  @Test
  void corruptFileFailsWithoutNativeStackTrace() throws IOException {
    Files.writeString(folder.resolve("xgboost.json"), "{\"learner\": ");
    ModelLoadRequest request =
        XgbTabular.request(folder, Map.of(), XgbTabular.nothingDeclared(), none(), 1);

    assertFails(request, ErrorCode.INVALID_ARGUMENT)
        .hasMessageContaining("xgboost.json")
        .hasMessageNotContaining("Stack trace")
        .hasMessageNotContaining("[bt]");
  }

  @Test
  void badParameterFailsNamingIt() {
    ModelLoadRequest request =
        XgbTabular.request(Map.of("predict_proba", "sometimes"), XgbTabular.declared(), none(), 1);

    assertFails(request, ErrorCode.INVALID_ARGUMENT).hasMessageContaining("'predict_proba'");
  }

  @Test
  void declaredInputWithAnotherFeatureCountFailsNamingTheModelsCount() {
    ModelSignature declared =
        new ModelSignature(
            List.of(new TensorSpec("features", DataType.FP32, new long[] {-1, 32})),
            XgbTabular.declared().outputs());

    assertFails(request(declared), ErrorCode.INVALID_ARGUMENT)
        .hasMessageContaining("'features'")
        .hasMessageContaining("64 features");
  }

  @Test
  void declaredOutputBeyondMainAndMarginFails() {
    ModelSignature declared =
        new ModelSignature(
            XgbTabular.declared().inputs(),
            List.of(
                new TensorSpec("probabilities", DataType.FP32, new long[] {-1, 2}),
                new TensorSpec("margin", DataType.FP32, new long[] {-1}),
                new TensorSpec("leaves", DataType.FP32, new long[] {-1, 100})));

    assertFails(request(declared), ErrorCode.INVALID_ARGUMENT).hasMessageContaining("leaves");
  }

  @Test
  void declaredOutputWidthThatDisagreesWithTheParametersFails() {
    ModelLoadRequest request =
        XgbTabular.request(Map.of("output_class", "true"), XgbTabular.declared(), none(), 1);

    assertFails(request, ErrorCode.INVALID_ARGUMENT)
        .hasMessageContaining("'probabilities'")
        .hasMessageContaining("[-1, 1]");
  }

  @Test
  void declaredNonFp32OutputFails() {
    ModelSignature declared =
        new ModelSignature(
            XgbTabular.declared().inputs(),
            List.of(new TensorSpec("probabilities", DataType.FP64, new long[] {-1, 2})));

    assertFails(request(declared), ErrorCode.INVALID_ARGUMENT).hasMessageContaining("FP32");
  }

  @Test
  void marginOutputParameterMustNameADeclaredOutput() {
    ModelLoadRequest request =
        XgbTabular.request(
            Map.of("output_class", "true", "predict_proba", "true", "margin_output", "logit"),
            XgbTabular.declared(),
            none(),
            1);

    assertFails(request, ErrorCode.INVALID_ARGUMENT).hasMessageContaining("'logit'");
  }

  @Test
  void gpuInstancesAreUnimplemented() {
    ModelLoadRequest cpu =
        XgbTabular.request(
            XgbTabular.CLASSIFIER_WITH_PROBABILITIES, XgbTabular.declared(), none(), 1);
    ModelLoadRequest gpu =
        new ModelLoadRequest(
            cpu.modelName(),
            cpu.version(),
            cpu.versionDirectory(),
            cpu.modelFileName(),
            cpu.parameters(),
            cpu.maxBatchSize(),
            cpu.declared(),
            1,
            ModelLoadRequest.InstanceKind.GPU);

    assertFails(gpu, ErrorCode.UNIMPLEMENTED).hasMessageContaining("KIND_CPU");
  }

  private static ModelLoadRequest request(ModelSignature declared) {
    return XgbTabular.request(XgbTabular.CLASSIFIER_WITH_PROBABILITIES, declared, none(), 1);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertFails(
      ModelLoadRequest request, ErrorCode code) {
    return assertThatThrownBy(() -> backend.load(request).close())
        .isInstanceOfSatisfying(
            InferenceException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private void copy(String reference, String target) throws IOException {
    Files.copy(XgbTabular.versionDirectory().resolve(reference), folder.resolve(target));
  }

  private static Optional<String> none() {
    return Optional.empty();
  }
}
