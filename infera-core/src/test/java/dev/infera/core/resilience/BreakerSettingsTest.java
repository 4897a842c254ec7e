package dev.infera.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelParameter;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BreakerSettingsTest {

  private static ModelConfig withParameters(String... keyValues) {
    ModelConfig.Builder config = ModelConfig.newBuilder().setName("m");
    for (int i = 0; i < keyValues.length; i += 2) {
      config.putParameters(
          keyValues[i], ModelParameter.newBuilder().setStringValue(keyValues[i + 1]).build());
    }
    return config.build();
  }

  @Test
  void noParametersGiveTheDefaults() {
    assertThat(BreakerSettings.of(withParameters(), BreakerSettings.DEFAULTS))
        .isEqualTo(BreakerSettings.DEFAULTS);
  }

  @Test
  void parametersOverrideTheDefaults() {
    BreakerSettings settings =
        BreakerSettings.of(
            withParameters(
                "circuit_breaker_failure_rate", "25",
                "circuit_breaker_window", "8",
                "circuit_breaker_minimum_calls", "4",
                "circuit_breaker_wait_ms", "1500",
                "circuit_breaker_half_open_calls", "2",
                "circuit_breaker_enabled", "false"),
            BreakerSettings.DEFAULTS);

    assertThat(settings)
        .isEqualTo(new BreakerSettings(false, 25f, 8, 4, Duration.ofMillis(1500), 2));
  }

  @Test
  void everyMalformedParameterIsListed() {
    InferenceException error =
        catchThrowableOfType(
            InferenceException.class,
            () ->
                BreakerSettings.of(
                    withParameters(
                        "circuit_breaker_window", "many", "circuit_breaker_enabled", "maybe"),
                    BreakerSettings.DEFAULTS));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(error.getMessage())
        .contains("circuit_breaker_window 'many' (expected an integer)")
        .contains("circuit_breaker_enabled 'maybe' (expected true or false)");
  }

  @Test
  void outOfRangeValuesAreRefused() {
    InferenceException error =
        catchThrowableOfType(
            InferenceException.class,
            () ->
                BreakerSettings.of(
                    withParameters("circuit_breaker_failure_rate", "150"),
                    BreakerSettings.DEFAULTS));

    assertThat(error.getMessage())
        .contains("circuit_breaker_failure_rate 150.0 (expected 1 to 100)");
  }
}
