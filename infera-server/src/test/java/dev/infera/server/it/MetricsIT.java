package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.InferaServer;
import dev.infera.server.it.ProtocolClient.Call;
import org.junit.jupiter.api.Test;

/** The Prometheus endpoint on the metrics port counts what the inference endpoints did. */
class MetricsIT {
  private final InferaServer server = SharedServer.get();

  private String scrape() {
    return Metrics.scrape(server.metricsPort());
  }

  private static double value(String text, String series) {
    return Metrics.value(text, series);
  }

  /** promtool from $PROMTOOL or the PATH; .ci/run provides it in CI. */
  private static String promtool() {
    String configured = System.getenv("PROMTOOL");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "promtool"))) {
        return dir + "/promtool";
      }
    }
    return null;
  }

  @Test
  void exportPassesPromtoolCheckMetrics() throws Exception {
    String promtool = promtool();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        promtool != null, "promtool not found: set PROMTOOL or run through .ci/run");
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      rest.infer(Call.of("simple", Samples.of("simple").cases().get(0).inputs()));
    }
    Process check =
        new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
    check.getOutputStream().write(scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    check.getOutputStream().close();
    String output =
        new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(check.waitFor()).as(output).isZero();
  }

  @Test
  void requestsAreCountedPerModelAndVersion() throws Exception {
    String labels = "{model=\"string_identity\",version=\"1\"}";
    double before = value(scrape(), "infera_inference_request_success_total" + labels);
    Samples.Case sample = Samples.of("string_identity").cases().get(1);
    try (RestClient rest = new RestClient(server.httpPort(), false)) {
      for (int i = 0; i < 3; i++) {
        assertThat(rest.infer(Call.of("string_identity", sample.inputs())).outcome())
            .isEqualTo(Outcome.OK);
      }
      rest.infer(Call.of("string_identity", Samples.of("simple").cases().get(0).inputs()));
    }

    String after = scrape();

    assertThat(value(after, "infera_inference_request_success_total" + labels) - before)
        .isEqualTo(3);
    assertThat(
            value(
                after,
                "infera_inference_request_failure_total{model=\"string_identity\",reason=\"invalid_argument\",version=\"1\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(after)
        .contains("# TYPE infera_inference_request_duration_seconds histogram")
        .contains("# TYPE infera_inference_queue_duration_seconds histogram")
        .contains("# TYPE infera_inference_compute_duration_seconds histogram")
        .contains("infera_inference_count_total" + labels)
        .contains("infera_inference_exec_count_total" + labels)
        .contains(
            "infera_inference_request_duration_seconds_bucket{model=\"string_identity\",version=\"1\",le=\"0.001\"}")
        .contains("infera_inference_batch_size_rows_bucket")
        .contains("infera_inference_queue_depth" + labels);
  }
}
