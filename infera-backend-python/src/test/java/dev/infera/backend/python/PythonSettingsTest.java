package dev.infera.backend.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelLoadRequest.InstanceKind;
import dev.infera.spi.ModelSignature;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PythonSettingsTest {

  private static ModelLoadRequest request(Map<String, String> parameters) {
    return new ModelLoadRequest(
        "m",
        1,
        Path.of("m/1"),
        Optional.empty(),
        parameters,
        0,
        new ModelSignature(List.of(), List.of()),
        1,
        InstanceKind.CPU);
  }

  @Test
  void defaultsWithoutAnySetting() {
    PythonSettings settings = PythonSettings.of(request(Map.of()), Map.of(), Map.of());

    assertThat(settings.interpreter()).isEqualTo("python3");
    assertThat(settings.executeTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(settings.shmBytes()).isEqualTo(64L << 20);
  }

  @Test
  void modelParametersWinOverBackendSettingsOverTheEnvironment() {
    Map<String, String> environment = Map.of("INFERA_PYTHON", "/env/python");
    Map<String, String> backend =
        Map.of("interpreter", "/backend/python", "stub-timeout-seconds", "30");

    assertThat(PythonSettings.of(request(Map.of()), Map.of(), environment).interpreter())
        .isEqualTo("/env/python");
    PythonSettings fromBackend = PythonSettings.of(request(Map.of()), backend, environment);
    assertThat(fromBackend.interpreter()).isEqualTo("/backend/python");
    assertThat(fromBackend.startTimeout()).isEqualTo(Duration.ofSeconds(30));
    PythonSettings fromModel =
        PythonSettings.of(
            request(Map.of("interpreter", "/model/python", "execute_timeout_seconds", "2.5")),
            backend,
            environment);
    assertThat(fromModel.interpreter()).isEqualTo("/model/python");
    assertThat(fromModel.executeTimeout()).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void badValuesAreAllListed() {
    assertThatThrownBy(
            () ->
                PythonSettings.of(
                    request(
                        Map.of(
                            "execute_timeout_seconds", "soon",
                            "startup_timeout_seconds", "-1",
                            "shm-default-byte-size", "12")),
                    Map.of(),
                    Map.of()))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("execute_timeout_seconds 'soon'")
        .hasMessageContaining("startup_timeout_seconds -1")
        .hasMessageContaining("shm-default-byte-size 12");
  }
}
