package dev.infera.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which requests are traced and how the settings change. Nothing is exported here: no span reaches
 * the (unreachable) default endpoint before the control closes.
 */
class TraceControlTest {
  private static final Function<String, String> NO_HEADERS = name -> null;
  private final List<TraceControl> controls = new ArrayList<>();

  private TraceControl control(String... entries) {
    TraceControl control = new TraceControl(TraceConfig.parse(List.of(entries)));
    controls.add(control);
    return control;
  }

  @AfterEach
  void close() {
    controls.forEach(c -> c.close(java.time.Duration.ofMillis(100)));
  }

  private static List<Boolean> traced(TraceControl control, String model, int requests) {
    List<Boolean> traced = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      RequestTrace trace = control.start(model, "http", NO_HEADERS);
      traced.add(trace.isOn());
      trace.endHttp(200);
    }
    return traced;
  }

  @Test
  void offTracesNothingAndBuildsNoSpanObject() {
    TraceControl control = control();

    assertThat(control.start("m", "http", NO_HEADERS)).isSameAs(RequestTrace.NONE);
    assertThat(traced(control, "m", 5)).containsOnly(false);
  }

  @Test
  void theRateTracesTheFirstRequestAndThenEveryRateTh() {
    TraceControl control = control("level=TIMESTAMPS", "rate=3");

    assertThat(traced(control, "m", 7))
        .containsExactly(true, false, false, true, false, false, true);
  }

  @Test
  void theCountStopsTracingOnceSpentAndIsReportedAsWhatIsLeft() {
    TraceControl control = control("level=TIMESTAMPS", "rate=1", "count=2");

    assertThat(traced(control, "m", 4)).containsExactly(true, true, false, false);
    assertThat(control.settings(Optional.empty())).containsEntry("trace_count", List.of("0"));
  }

  @Test
  void aModelsOwnSettingsOverrideTheGlobalOnesUntilCleared() {
    TraceControl control = control();

    Map<String, List<String>> model =
        control.update(
            Optional.of("m"),
            Map.of("trace_level", List.of("TIMESTAMPS"), "trace_rate", List.of("1")));

    assertThat(model).containsEntry("trace_level", List.of("TIMESTAMPS"));
    assertThat(traced(control, "m", 2)).containsExactly(true, true);
    assertThat(traced(control, "other", 2)).containsOnly(false);
    assertThat(control.update(Optional.of("m"), Map.of("trace_level", List.of())))
        .containsEntry("trace_level", List.of("OFF"))
        .containsEntry("trace_rate", List.of("1"));
    assertThat(control.start("m", "http", NO_HEADERS)).isSameAs(RequestTrace.NONE);
  }

  @Test
  void aGlobalChangeReachesModelsWithoutThatSettingOfTheirOwn() {
    TraceControl control = control();
    control.update(Optional.of("m"), Map.of("trace_rate", List.of("1")));

    control.update(Optional.empty(), Map.of("trace_level", List.of("TIMESTAMPS")));

    assertThat(control.settings(Optional.of("m")))
        .containsEntry("trace_level", List.of("TIMESTAMPS"))
        .containsEntry("trace_rate", List.of("1"));
    assertThat(control.settings(Optional.empty())).containsEntry("trace_rate", List.of("1000"));
    assertThat(control.update(Optional.empty(), Map.of("trace_level", List.of())))
        .containsEntry("trace_level", List.of("OFF"));
  }

  @Test
  void aBadSettingChangesNothingAndNamesWhatIsExpected() {
    TraceControl control = control();

    assertThatThrownBy(
            () ->
                control.update(
                    Optional.empty(),
                    new java.util.LinkedHashMap<>(
                        Map.of("trace_level", List.of("TIMESTAMPS"), "trace_rate", List.of("x")))))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("trace_rate [x] (expected one integer)");
    assertThat(control.settings(Optional.empty())).containsEntry("trace_level", List.of("OFF"));
    assertThatThrownBy(() -> control.update(Optional.empty(), Map.of("trace_file", List.of("f"))))
        .hasMessageContaining("OTLP");
    assertThatThrownBy(() -> control.update(Optional.empty(), Map.of("colour", List.of("red"))))
        .hasMessageContaining("unknown trace setting 'colour'");
  }

  @Test
  void theFlagListsEveryWrongEntryAtOnce() {
    assertThatThrownBy(
            () ->
                TraceConfig.parse(
                    List.of(
                        "level=TENSORS",
                        "rate=-1",
                        "mode=triton",
                        "opentelemetry,url=ftp://x",
                        "triton,file=/tmp/t.json",
                        "nonsense")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TENSORS")
        .hasMessageContaining("trace rate -1")
        .hasMessageContaining("mode 'triton'")
        .hasMessageContaining("url 'ftp://x'")
        .hasMessageContaining("mode 'triton' (expected opentelemetry)")
        .hasMessageContaining("'nonsense' (expected [MODE,]SETTING=VALUE)");
  }

  @Test
  void theFlagTakesTritonsOpenTelemetrySettings() {
    TraceConfig config =
        TraceConfig.parse(
            List.of(
                "level=TIMESTAMPS",
                "rate=100",
                "count=-1",
                "mode=opentelemetry",
                "opentelemetry,url=http://collector:4318/v1/traces",
                "opentelemetry,resource=service.name=scoring",
                "opentelemetry,bsp_schedule_delay=200",
                "opentelemetry,bsp_max_queue_size=100",
                "opentelemetry,bsp_max_export_batch_size=10"));

    assertThat(config.settings()).isEqualTo(new TraceSettings(TraceLevel.TIMESTAMPS, 100, -1));
    assertThat(config.endpoint()).hasToString("http://collector:4318/v1/traces");
    assertThat(config.resource()).containsEntry("service.name", "scoring");
    assertThat(config.scheduleDelay()).hasMillis(200);
    assertThat(config.maxQueueSize()).isEqualTo(100);
    assertThat(config.maxExportBatchSize()).isEqualTo(10);
  }
}
