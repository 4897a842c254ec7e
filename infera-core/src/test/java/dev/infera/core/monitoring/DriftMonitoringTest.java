package dev.infera.core.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DriftMonitoringTest {
  private static final int FEATURES = 4;
  private final AtomicLong clock = new AtomicLong();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Random random = new Random(7);
  private DriftMonitoring monitoring;

  private DriftMonitoring monitoring(ReferenceSource references, Set<String> loaded) {
    DriftSettings settings =
        DriftSettings.DEFAULTS.withWindow(Duration.ofSeconds(10)).withReferenceRows(2000);
    monitoring =
        new DriftMonitoring(settings, registry, clock::get, references, m -> true, () -> loaded);
    return monitoring;
  }

  @AfterEach
  void close() {
    if (monitoring != null) {
      monitoring.close();
    }
  }

  /**
   * One request of {@code rows} rows; feature 2 has its mean moved by {@code shift}, feature 1 is
   * {@code override} in every row unless that is NaN.
   */
  private void send(int rows, double shift, float override) {
    ByteBuffer data = ByteBuffer.allocate(rows * FEATURES * 4).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.allocate(rows * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < rows; r++) {
      float sum = 0;
      for (int f = 0; f < FEATURES; f++) {
        float value = (float) (random.nextGaussian() + (f == 2 ? shift : 0));
        if (!Float.isNaN(override) && f == 1) {
          value = override;
        }
        data.putFloat(value);
        sum += value;
      }
      out.putFloat(sum);
    }
    data.flip();
    out.flip();
    Tensor input = Tensor.of("INPUT", DataType.FP32, new long[] {rows, FEATURES}, data);
    Tensor output = Tensor.of("OUTPUT", DataType.FP32, new long[] {rows, 1}, out);
    monitoring.completed(
        InferenceRequest.of("m", List.of(input)),
        new InferenceResponse("m", "1", Optional.empty(), List.of(output), Map.of()),
        true);
    monitoring.processPending();
  }

  private void traffic(int requests, double shift) {
    for (int i = 0; i < requests; i++) {
      send(10, shift, Float.NaN);
      clock.addAndGet(Duration.ofMillis(10).toNanos());
    }
  }

  private DriftReport.Feature feature(DriftReport report, String name) {
    return report.features().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aShiftedFeatureCrossesItsThresholdWithinOneWindowWhileTheOthersStayBelow() {
    monitoring(ReferenceSource.NONE, Set.of("m/1"));
    traffic(200, 0); // 2,000 rows: the reference
    traffic(1000, 2.0); // ten seconds of shifted traffic: one window
    monitoring.scoreAll();

    DriftReport report = monitoring.report("m", "1").orElseThrow();
    assertThat(report.reference()).isEqualTo("traffic");
    assertThat(report.features().get(0).name()).isIn("INPUT[2]", "OUTPUT");
    assertThat(feature(report, "INPUT[2]").drifted()).isTrue();
    assertThat(feature(report, "INPUT[2]").method()).isEqualTo("psi");
    assertThat(feature(report, "INPUT[2]").score()).isGreaterThan(0.2);
    for (String steady : List.of("INPUT[0]", "INPUT[1]", "INPUT[3]")) {
      assertThat(feature(report, steady).drifted()).as(steady).isFalse();
      assertThat(feature(report, steady).psi()).as(steady).isLessThan(0.1);
    }
    assertThat(
            registry
                .get("infera.feature.drift.detected")
                .tags("model", "m", "version", "1", "feature", "INPUT[2]")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get("infera.feature.drift.score")
                .tags("feature", "INPUT[0]", "method", "psi")
                .gauge()
                .value())
        .isLessThan(0.1);
  }

  @Test
  void theWindowForgetsAShiftOnceItHasSlidPast() {
    monitoring(ReferenceSource.NONE, Set.of("m/1"));
    traffic(200, 0);
    traffic(500, 2.0);
    monitoring.scoreAll();
    assertThat(feature(monitoring.report("m", "1").orElseThrow(), "INPUT[2]").drifted()).isTrue();

    traffic(1100, 0); // eleven seconds of normal traffic: the shifted slices leave the window
    monitoring.scoreAll();

    assertThat(feature(monitoring.report("m", "1").orElseThrow(), "INPUT[2]").drifted()).isFalse();
  }

  @Test
  void tooFewSamplesGiveNoScore() {
    monitoring(ReferenceSource.NONE, Set.of("m/1"));
    traffic(200, 0);
    traffic(5, 3.0); // 50 rows, below the 100 a score needs
    monitoring.scoreAll();

    DriftReport.Feature shifted = feature(monitoring.report("m", "1").orElseThrow(), "INPUT[2]");
    assertThat(shifted.method()).isEmpty();
    assertThat(shifted.score()).isNaN();
    assertThat(shifted.drifted()).isFalse();
  }

  @Test
  void nanInfinityAndOutOfRangeValuesAreCounted() {
    monitoring(ReferenceSource.NONE, Set.of("m/1"));
    traffic(200, 0);
    send(3, 0, Float.NaN); // NaN here means no override: ordinary values, no issue
    send(4, 0, Float.POSITIVE_INFINITY);
    send(5, 0, 1e6f);

    DriftReport.Quality quality = feature(monitoringReportAfterScore(), "INPUT[1]").quality();
    assertThat(quality.infinite()).isEqualTo(4);
    assertThat(quality.outOfRange()).isEqualTo(5);
    assertThat(
            registry
                .get("infera.data.quality.issues")
                .tags("feature", "INPUT[1]", "issue", "inf")
                .counter()
                .count())
        .isEqualTo(4);
  }

  @Test
  void nanValuesAreCountedAsDataQualityIssues() {
    monitoring(ReferenceSource.NONE, Set.of("m/1"));
    ByteBuffer data = ByteBuffer.allocate(3 * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.putFloat(1).putFloat(Float.NaN).putFloat(Float.NaN).flip();
    monitoring.completed(
        InferenceRequest.of("m", List.of(Tensor.of("X", DataType.FP32, new long[] {3, 1}, data))),
        new InferenceResponse("m", "1", Optional.empty(), List.of(), Map.of()),
        true);
    monitoring.processPending();
    monitoring.scoreAll();

    assertThat(feature(monitoring.report("m", "1").orElseThrow(), "X").quality().nan())
        .isEqualTo(2);
  }

  private DriftReport monitoringReportAfterScore() {
    monitoring.scoreAll();
    return monitoring.report("m", "1").orElseThrow();
  }

  @Test
  void rejectedRequestsAreCounted() {
    monitoring(ReferenceSource.NONE, Set.of("m/1"));
    monitoring.rejected(
        InferenceRequest.of("m", List.of()), "m", "1", InferenceException.invalidArgument("bad"));
    monitoring.processPending();
    monitoring.scoreAll();

    assertThat(monitoring.report("m", "1").orElseThrow().rejected()).isEqualTo(1);
    assertThat(registry.get("infera.data.quality.rejected").counter().count()).isEqualTo(1);
  }

  @Test
  void aStoredProfileIsTheReferenceFromTheFirstRequest() {
    FeatureSketch sketch = FeatureSketch.empty(FeatureKind.NUMERIC);
    Random r = new Random(3);
    for (int i = 0; i < 5000; i++) {
      sketch.add((float) r.nextGaussian());
    }
    String profile = ReferenceProfile.of(5000, Map.of("INPUT[2]", sketch)).toJson();
    monitoring(
        (model, version) -> Optional.of(profile).filter(p -> model.equals("m")), Set.of("m/1"));
    traffic(100, 2.0);
    monitoring.scoreAll();

    DriftReport report = monitoring.report("m", "1").orElseThrow();
    assertThat(report.reference()).isEqualTo("profile");
    assertThat(feature(report, "INPUT[2]").drifted()).isTrue();
    assertThat(feature(report, "INPUT[0]").method()).isEmpty(); // not in the profile
  }

  @Test
  void aProfileThatIsNotJsonIsReportedAndTheReferenceComesFromTraffic() {
    monitoring((model, version) -> Optional.of("{ not json"), Set.of("m/1"));
    traffic(1, 0);
    monitoring.scoreAll();

    DriftReport report = monitoring.report("m", "1").orElseThrow();
    assertThat(report.profileProblem()).hasValueSatisfying(p -> assertThat(p).contains("not JSON"));
    assertThat(report.reference()).isEqualTo("building");
  }

  @Test
  void aProfileOfOtherFeaturesIsSetAsideWithTheReason() {
    FeatureSketch sketch = FeatureSketch.empty(FeatureKind.NUMERIC);
    sketch.add(1);
    String profile = ReferenceProfile.of(1, Map.of("pixels", sketch)).toJson();
    monitoring((model, version) -> Optional.of(profile), Set.of("m/1"));
    traffic(1, 0);
    monitoring.scoreAll();

    DriftReport report = monitoring.report("m", "1").orElseThrow();
    assertThat(report.profileProblem())
        .hasValueSatisfying(
            p -> assertThat(p).contains("profile feature 'pixels'").contains("INPUT[0]"));
    assertThat(report.reference()).isEqualTo("building");
  }

  @Test
  void monitorsOfUnloadedVersionsCloseAndTakeTheirSeriesAlong() {
    Set<String> loaded = new java.util.concurrent.CopyOnWriteArraySet<>(Set.of("m/1"));
    monitoring(ReferenceSource.NONE, loaded);
    traffic(1, 0);
    monitoring.scoreAll();
    assertThat(registry.find("infera.feature.drift.score").gauges()).isNotEmpty();

    loaded.clear();
    monitoring.scoreAll();

    assertThat(monitoring.report("m", "1")).isEmpty();
    assertThat(registry.find("infera.feature.drift.score").gauges()).isEmpty();
  }

  @Test
  void stringsAreWatchedAsCategories() {
    monitoring(ReferenceSource.NONE, Set.of("m/1"));
    for (int i = 0; i < 300; i++) {
      List<byte[]> words = List.of(("w" + (i % 3)).getBytes(StandardCharsets.UTF_8));
      monitoring.completed(
          InferenceRequest.of("m", List.of(Tensor.ofBytes("TEXT", new long[] {1, 1}, words))),
          new InferenceResponse("m", "1", Optional.empty(), List.of(), Map.of()),
          true);
    }
    monitoring.processPending();
    monitoring.scoreAll();
    DriftReport.Feature text = feature(monitoring.report("m", "1").orElseThrow(), "TEXT");
    assertThat(text.kind()).isEqualTo(FeatureKind.CATEGORICAL);
  }

  @Test
  void profilesRoundTripThroughJson() {
    FeatureSketch numbers = FeatureSketch.empty(FeatureKind.NUMERIC);
    FeatureSketch words = FeatureSketch.empty(FeatureKind.CATEGORICAL);
    for (int i = 0; i < 1000; i++) {
      numbers.add(i);
      words.add(i % 2 == 0 ? "a" : "b");
    }
    ReferenceProfile profile =
        ReferenceProfile.of(1000, new java.util.LinkedHashMap<>(Map.of("n", numbers, "w", words)));

    assertThat(ReferenceProfile.fromJson(profile.toJson())).isEqualTo(profile);
  }
}
