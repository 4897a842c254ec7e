package dev.infera.backend.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.infera.spi.Backend;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelLoadRequest.InstanceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRuntimeBackendTest {
  private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend(() -> 2);

  @TempDir Path tempDir;

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  @Test
  void namesFollowTriton() {
    assertThat(backend.name()).isEqualTo("onnxruntime");
    assertThat(backend.aliases()).containsExactly("onnxruntime_onnx");
    assertThat(backend.defaultModelFileNames()).containsExactly("model.onnx");
  }

  @Test
  void serviceLoaderFindsTheBackend() {
    assertThat(ServiceLoader.load(Backend.class).stream().map(ServiceLoader.Provider::type))
        .contains(OnnxRuntimeBackend.class);
  }

  @Test
  void recognizesAVersionFolderWithModelOnnx() {
    assertThat(backend.recognizes(TestModels.versionDirectory("simple"))).isTrue();
    assertThat(backend.recognizes(tempDir)).isFalse();
  }

  @Test
  void missingModelFileIsNotFoundAndNamed() {
    Path file = tempDir.resolve("model.onnx");

    assertFails(
        () -> backend.load(TestModels.request("m", tempDir, Map.of(), 1, InstanceKind.CPU)),
        ErrorCode.NOT_FOUND,
        file.toString(),
        "does not exist");
  }

  @Test
  void corruptModelFileIsInvalidWithOnnxRuntimesReason() throws IOException {
    Path file = Files.write(tempDir.resolve("model.onnx"), new byte[] {1, 2, 3, 4, 5, 6, 7});

    assertFails(
        () -> backend.load(TestModels.request("m", tempDir, Map.of(), 1, InstanceKind.CPU)),
        ErrorCode.INVALID_ARGUMENT,
        file.toString(),
        "Protobuf parsing failed");
  }

  @Test
  void configuredModelFileNameIsLoaded() throws IOException {
    Files.copy(
        TestModels.versionDirectory("simple").resolve("model.onnx"), tempDir.resolve("add.onnx"));
    ModelLoadRequest request =
        new ModelLoadRequest(
            "m",
            1,
            tempDir,
            Optional.of("add.onnx"),
            Map.of(),
            -1,
            TestModels.request("simple").declared(),
            1,
            InstanceKind.CPU);

    try (LoadedModel model = backend.load(request)) {
      assertThat(model.signature().inputs()).hasSize(2);
    }
  }

  @Test
  void modelFileNameOutsideTheVersionFolderIsRejected() {
    ModelLoadRequest request =
        new ModelLoadRequest(
            "m",
            1,
            TestModels.versionDirectory("simple"),
            Optional.of("../../fixed_shape/1/model.onnx"),
            Map.of(),
            -1,
            TestModels.request("simple").declared(),
            1,
            InstanceKind.CPU);

    assertFails(
        () -> backend.load(request),
        ErrorCode.INVALID_ARGUMENT,
        "../../fixed_shape/1/model.onnx",
        "inside the version folder");
  }

  @Test
  void badParametersFailTheLoad() {
    assertFails(
        () -> backend.load(TestModels.request("simple", Map.of("execution_mode", "fast"), 1)),
        ErrorCode.INVALID_ARGUMENT,
        "execution_mode 'fast'",
        "expected: 0 or sequential, 1 or parallel");
  }

  @Test
  void gpuInstancesFailClearlyWithoutCuda() {
    assumeThat(OrtEnvironment.getAvailableProviders()).doesNotContain(OrtProvider.CUDA);
    ModelLoadRequest request =
        TestModels.request(
            "simple", TestModels.versionDirectory("simple"), Map.of(), 1, InstanceKind.GPU);

    assertFails(
        () -> backend.load(request),
        ErrorCode.FAILED_PRECONDITION,
        "CUDA execution provider",
        "onnxruntime_gpu");
  }

  @Test
  void loadAfterCloseFails() {
    backend.close();

    assertFails(
        () -> backend.load(TestModels.request("simple")), ErrorCode.FAILED_PRECONDITION, "closed");
  }

  @Test
  void closeTwiceIsHarmless() {
    backend.close();

    assertThatCode(backend::close).doesNotThrowAnyException();
  }

  private static void assertFails(ThrowingCallable call, ErrorCode code, String... fragments) {
    var assertion =
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(
                InferenceException.class, e -> assertThat(e.code()).isEqualTo(code));
    for (String fragment : fragments) {
      assertion.hasMessageContaining(fragment);
    }
  }
}
