package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.core.monitoring.DriftSettings;
import dev.infera.core.monitoring.FeatureKind;
import dev.infera.core.monitoring.FeatureSketch;
import dev.infera.core.monitoring.ReferenceProfile;
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
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drift and data-quality monitoring on a real server: tabular_mlp's 64 features, a reference built
 * from its first traffic, then traffic with one feature's mean moved by two standard deviations.
 */
class DriftIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final int ROWS = 25;
  private final Random random = new Random(11);
  private InferaServer server;

  private InferaServer start(Path repository) {
    DriftSettings settings =
        DriftSettings.DEFAULTS.withWindow(Duration.ofSeconds(60)).withReferenceRows(1000);
    server =
        InferaServer.start(
            ServerOptions.onFreePorts(repository),
            new ObservabilityOptions(Optional.of(settings), Set.of("tabular_mlp")));
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Path repository() throws Exception {
    Path root = Files.createTempDirectory("infera-drift");
    TestRepository.copyInto(
        TestRepository.examples().resolve("tabular_mlp"), root.resolve("tabular_mlp"));
    return root;
  }

  /** One request of ROWS rows: N(0, 1) features, feature {@code shifted} moved by {@code by}. */
  private HttpResponse<String> infer(int shifted, double by, String special) throws Exception {
    StringJoiner data = new StringJoiner(",", "[", "]");
    for (int r = 0; r < ROWS; r++) {
      for (int f = 0; f < 64; f++) {
        if (special != null && f == 5 && r == 0) {
          data.add(special);
        } else {
          data.add(Float.toString((float) (random.nextGaussian() + (f == shifted ? by : 0))));
        }
      }
    }
    String body =
        "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":["
            + ROWS
            + ",64],\"data\":"
            + data
            + "}]}";
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server.httpPort() + "/v2/models/tabular_mlp/infer"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode drift(String path) throws Exception {
    HttpResponse<String> reply =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    return JSON.readTree(reply.body());
  }

  private static JsonNode feature(JsonNode report, String name) {
    for (JsonNode feature : report.path("features")) {
      if (feature.path("name").asText().equals(name)) {
        return feature;
      }
    }
    throw new AssertionError("no feature " + name + " in " + report);
  }

  /** Polls the report until the monitoring thread has caught up with {@code rows} rows. */
  private JsonNode reportAfter(long rows) throws Exception {
    return reportAfter(rows, true);
  }

  private JsonNode reportAfter(long rows, boolean scored) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode report;
    do {
      report = drift("/v2/models/tabular_mlp/drift");
      if (report.path("rows").asLong() >= rows
          && report.path("features").size() > 0
          && (!scored || !feature(report, "features[0]").path("score").isNull())) {
        return report;
      }
      LockSupport.parkNanos(
          Duration.ofMillis(50).toNanos()); // the monitoring thread scores each second
    } while (System.nanoTime() < deadline);
    throw new AssertionError("report never caught up: " + report);
  }

  @Test
  void aFeatureShiftedByTwoStandardDeviationsCrossesItsThresholdWithinOneWindow() throws Exception {
    start(repository());
    for (int i = 0; i < 40; i++) { // 1,000 rows: the reference
      assertThat(infer(-1, 0, null).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 40; i++) { // 1,000 rows with feature 3 moved by 2 sigma
      assertThat(infer(3, 2.0, null).statusCode()).isEqualTo(200);
    }

    JsonNode report = reportAfter(2000);

    assertThat(report.path("reference").asText()).isEqualTo("traffic");
    assertThat(feature(report, "features[3]").path("drifted").asBoolean()).isTrue();
    assertThat(feature(report, "features[3]").path("psi").asDouble()).isGreaterThan(0.2);
    assertThat(report.path("features").get(0).path("name").asText()).isEqualTo("features[3]");
    int steadyDrifted = 0;
    for (int f = 0; f < 64; f++) {
      if (f != 3 && feature(report, "features[" + f + "]").path("psi").asDouble() > 0.2) {
        steadyDrifted++;
      }
    }
    assertThat(steadyDrifted).as("unshifted features above the PSI threshold").isZero();
    String metrics = Metrics.scrape(server.metricsPort());
    assertThat(
            Metrics.value(
                metrics,
                "infera_feature_drift_detected{feature=\"features[3]\",model=\"tabular_mlp\",version=\"1\"}"))
        .isEqualTo(1.0);
    assertThat( // CPU seconds of the executing thread: the cost per prediction
            Metrics.value(
                metrics, "infera_model_cpu_seconds_total{model=\"tabular_mlp\",version=\"1\"}"))
        .isPositive();
  }

  @Test
  void nanInputsRaiseTheDataQualityCounter() throws Exception {
    start(repository());
    for (int i = 0; i < 3; i++) {
      assertThat(infer(-1, 0, "NaN").statusCode()).isEqualTo(200); // Triton's JSON token
    }
    for (int i = 0; i < 3; i++) {
      assertThat(infer(-1, 0, "1e30").statusCode()).isEqualTo(200);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    double nan = 0;
    while (System.nanoTime() < deadline && nan < 3) {
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      nan =
          Metrics.value(
              Metrics.scrape(server.metricsPort()),
              "infera_data_quality_issues_total{feature=\"features[5]\",issue=\"nan\",model=\"tabular_mlp\",version=\"1\"}");
    }
    assertThat(nan).isEqualTo(3.0);
  }

  @Test
  void aProfileThatDoesNotFitIsReportedAndInferenceGoesOn() throws Exception {
    Path repository = repository();
    FeatureSketch pixels = FeatureSketch.empty(FeatureKind.NUMERIC);
    for (int i = 0; i < 500; i++) {
      pixels.add(i);
    }
    Files.writeString( // a profile of another model: its one feature is not tabular_mlp's
        repository.resolve("tabular_mlp/1/infera-profile.json"),
        ReferenceProfile.of(500, Map.of("pixels", pixels)).toJson(),
        StandardCharsets.UTF_8);
    start(repository);

    assertThat(infer(-1, 0, null).statusCode()).isEqualTo(200);
    JsonNode report = reportAfter(ROWS, false);

    assertThat(report.path("profile_problem").asText())
        .contains("infera-profile.json")
        .contains("profile feature 'pixels'")
        .contains("features[0]")
        .doesNotContain(repository.toString());
    assertThat(report.path("reference").asText()).isEqualTo("building");
  }

  @Test
  void aModelNotWatchedAnswersWithTheFlagThatTurnsItOn() throws Exception {
    Path repository = repository();
    TestRepository.copyInto(
        TestRepository.examples().resolve("simple"), repository.resolve("simple"));
    start(repository);

    HttpResponse<String> reply =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/simple/drift"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(reply.statusCode()).isEqualTo(400);
    assertThat(reply.body()).contains("--drift-models");
  }
}
