package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.core.monitoring.DriftSettings;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.observability.ObservabilityOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped alert rules and dashboard (deploy/prometheus, deploy/grafana): promtool accepts and
 * unit-tests the rules, and every series a dashboard panel queries is one a live server exports.
 */
class ObservabilityAssetsIT {
  private static final Path DEPLOY = Paths.get("..", "deploy").toAbsolutePath().normalize();
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:infera|process|jvm)_[a-z0-9_]+)\\b");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** promtool from $PROMTOOL or the PATH; .ci/run provides it. */
  private static String promtool() {
    String configured = System.getenv("PROMTOOL");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, "promtool"))) {
        return dir + "/promtool";
      }
    }
    return null;
  }

  private static String run(String... command) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .directory(DEPLOY.resolve("prometheus").toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void alertRulesPassPromtoolCheckAndTheirUnitTests() throws Exception {
    String promtool = promtool();
    Assumptions.assumeTrue(
        promtool != null, "promtool not found: set PROMTOOL or run the tests through .ci/run");

    assertThat(run(promtool, "check", "rules", "infera-alerts.yml")).contains("SUCCESS: 7 rules");
    assertThat(run(promtool, "test", "rules", "infera-alerts.test.yml")).contains("SUCCESS");
  }

  @Test
  void everyAlertHasAUnitTest() throws Exception {
    String rules = Files.readString(DEPLOY.resolve("prometheus/infera-alerts.yml"));
    String tests = Files.readString(DEPLOY.resolve("prometheus/infera-alerts.test.yml"));
    Matcher alert = Pattern.compile("- alert: (\\w+)").matcher(rules);
    List<String> alerts = new ArrayList<>();
    while (alert.find()) {
      alerts.add(alert.group(1));
    }
    assertThat(alerts).hasSize(7);
    for (String name : alerts) {
      assertThat(tests).as(name).contains("alertname: " + name);
    }
  }

  @Test
  void everyDashboardQueryNamesSeriesALiveServerExports() throws Exception {
    JsonNode dashboard =
        new ObjectMapper().readTree(DEPLOY.resolve("grafana/infera-dashboard.json").toFile());
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("title").asText()).isNotBlank();
      assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
      for (JsonNode target : panel.path("targets")) {
        Matcher metric = METRIC.matcher(target.path("expr").asText());
        while (metric.find()) {
          queried.add(metric.group(1));
        }
      }
    }
    assertThat(queried).contains("infera_feature_drift_score", "infera_data_quality_issues_total");

    Path repository = Files.createTempDirectory("infera-assets");
    TestRepository.copyInto(
        TestRepository.examples().resolve("tabular_mlp"), repository.resolve("tabular_mlp"));
    try (InferaServer server =
        InferaServer.start(
            ServerOptions.onFreePorts(repository),
            new ObservabilityOptions(
                Optional.of(DriftSettings.DEFAULTS.withReferenceRows(10)), Set.of("*")))) {
      for (int i = 0; i < 3; i++) {
        assertThat(infer(server, i == 0 ? "NaN" : "0.5", 64)).isEqualTo(200);
      }
      assertThat(infer(server, "0.5", 63)).isEqualTo(400); // refused: a data-quality rejection
      String scrape = "";
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline && !scrape.contains("infera_data_quality_issues_total")) {
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        scrape = Metrics.scrape(server.metricsPort());
      }
      for (String series : queried) {
        assertThat(scrape).as("series " + series + " of the dashboard").contains(series);
      }
    }
  }

  private static int infer(InferaServer server, String first, int width) throws Exception {
    StringJoiner data = new StringJoiner(",", "[", "]");
    data.add(first);
    for (int i = 1; i < 2 * width; i++) {
      data.add(Double.toString(i / 128.0));
    }
    String body =
        "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[2,"
            + width
            + "],\"data\":"
            + data
            + "}]}";
    HttpResponse<String> reply =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + server.httpPort() + "/v2/models/tabular_mlp/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return reply.statusCode();
  }
}
