package dev.infera.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.capture.CaptureSettings;
import dev.infera.server.tracing.TraceConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoggedUrlsTest {
  @Test
  void userInformationAndQueryAreMasked() {
    assertThat(
            LoggedUrls.shown(
                URI.create("https://ingest:s3cret@sink.example:8443/events?token=abc")))
        .isEqualTo("https://***@sink.example:8443/events?***");
  }

  @Test
  void aPlainUrlIsShownAsItIs() {
    assertThat(LoggedUrls.shown(URI.create("http://localhost:4318/v1/traces")))
        .isEqualTo("http://localhost:4318/v1/traces");
  }

  @Test
  void theEffectiveConfigurationNamesNoSecretOfTheCaptureSinkOrTheTraceEndpoint() {
    CaptureSettings capture =
        new CaptureSettings(
            Set.of("*"),
            0.5,
            Path.of("captures"),
            1 << 20,
            Duration.ofMinutes(5),
            4,
            Set.of(),
            128,
            Optional.of(URI.create("https://user:s3cret@sink.example/in?key=k3y")),
            16);
    TraceConfig tracing =
        new TraceConfig(
            TraceConfig.DEFAULTS.settings(),
            URI.create("https://user:s3cret@collector.example/v1/traces?key=k3y"),
            java.util.Map.of(),
            2048,
            Duration.ofSeconds(5),
            512);

    assertThat(capture.toString())
        .contains("sink=https://***@sink.example/in?***")
        .doesNotContain("s3cret", "k3y");
    assertThat(tracing.toString())
        .contains("https://***@collector.example/v1/traces?***")
        .doesNotContain("s3cret", "k3y");
  }
}
