package dev.infera.backend.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionSettingsTest {

  @Test
  void defaultsSplitTheCoresAmongInstances() {
    SessionSettings settings = SessionSettings.parse("m", Map.of(), 3, 8);

    assertThat(settings.intraOpThreads()).isEqualTo(2);
    assertThat(settings.interOpThreads()).isEqualTo(1);
    assertThat(settings.executionMode()).isEqualTo(ExecutionMode.SEQUENTIAL);
    assertThat(settings.optimizationLevel()).isEqualTo(OptLevel.ALL_OPT);
    assertThat(settings.memoryArena()).isTrue();
    assertThat(settings.memoryPattern()).isTrue();
    assertThat(settings.shareSession()).isFalse();
    assertThat(settings.spinning()).isFalse();
  }

  @Test
  void anInstanceKeepsItsIntraOpThreadsBusyWhenTheParametersSetThem() {
    assertThat(SessionSettings.coresPerInstance(Map.of("intra_op_thread_count", "1"))).hasValue(1);
    assertThat(
            SessionSettings.coresPerInstance(
                Map.of(
                    "intra_op_thread_count", "2",
                    "inter_op_thread_count", "3",
                    "execution_mode", "parallel")))
        .hasValue(6);
    // the default divides the cores among the instances; a shared session is one for all
    assertThat(SessionSettings.coresPerInstance(Map.of())).isEmpty();
    assertThat(SessionSettings.coresPerInstance(Map.of("intra_op_thread_count", "0"))).isEmpty();
    assertThat(
            SessionSettings.coresPerInstance(
                Map.of("intra_op_thread_count", "1", "share_session_between_instances", "true")))
        .isEmpty();
    // a bad value is the load's to report
    assertThat(SessionSettings.coresPerInstance(Map.of("intra_op_thread_count", "x"))).isEmpty();
  }

  @Test
  void defaultIntraOpThreadsIsAtLeastOneWhenInstancesOutnumberCores() {
    assertThat(SessionSettings.parse("m", Map.of(), 4, 2).intraOpThreads()).isEqualTo(1);
  }

  @Test
  void zeroThreadCountsMeanTheDefaults() {
    SessionSettings settings =
        SessionSettings.parse(
            "m", Map.of("intra_op_thread_count", "0", "inter_op_thread_count", "0"), 2, 8);

    assertThat(settings.intraOpThreads()).isEqualTo(4);
    assertThat(settings.interOpThreads()).isEqualTo(1);
  }

  @Test
  void explicitValuesAreUsed() {
    SessionSettings settings =
        SessionSettings.parse(
            "m",
            Map.of(
                "intra_op_thread_count", " 3 ",
                "inter_op_thread_count", "2",
                "execution_mode", "1",
                "enable_mem_arena", "0",
                "enable_mem_pattern", "false",
                "share_session_between_instances", "true",
                "allow_spinning", "1"),
            1,
            8);

    assertThat(settings)
        .isEqualTo(
            new SessionSettings(
                3, 2, ExecutionMode.PARALLEL, OptLevel.ALL_OPT, false, false, true, true));
  }

  @ParameterizedTest
  @CsvSource({
    "-1, BASIC_OPT",
    "0, ALL_OPT",
    "1, EXTENDED_OPT",
    "2, NO_OPT",
    "basic, BASIC_OPT",
    "ALL, ALL_OPT",
    "extended, EXTENDED_OPT",
    "disable, NO_OPT"
  })
  void optimizationLevelsFollowTritonsNumbersAndNames(String value, OptLevel expected) {
    SessionSettings settings =
        SessionSettings.parse("m", Map.of("graph_optimization_level", value), 1, 2);

    assertThat(settings.optimizationLevel()).isEqualTo(expected);
  }

  @Test
  void executionModeAcceptsNames() {
    assertThat(
            SessionSettings.parse("m", Map.of("execution_mode", "parallel"), 1, 2).executionMode())
        .isEqualTo(ExecutionMode.PARALLEL);
  }

  @Test
  void unrelatedParametersAreIgnored() {
    assertThat(SessionSettings.parse("m", Map.of("max_queue_size", "x"), 1, 2))
        .isEqualTo(SessionSettings.parse("m", Map.of(), 1, 2));
  }

  @Test
  void everyBadValueIsReportedAtOnce() {
    Map<String, String> parameters =
        Map.of(
            "intra_op_thread_count", "-2",
            "inter_op_thread_count", "many",
            "execution_mode", "3",
            "graph_optimization_level", "7",
            "enable_mem_arena", "yes",
            "enable_mem_pattern", "2");

    assertThatThrownBy(() -> SessionSettings.parse("m", parameters, 1, 2))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("model 'm'")
        .hasMessageContaining("intra_op_thread_count '-2' (expected: an integer >= 0")
        .hasMessageContaining("inter_op_thread_count 'many'")
        .hasMessageContaining("execution_mode '3' (expected: 0 or sequential, 1 or parallel)")
        .hasMessageContaining(
            "graph_optimization_level '7' (expected: -1 or basic, 0 or all, 1 or extended, 2 or"
                + " disable)")
        .hasMessageContaining("enable_mem_arena 'yes' (expected: 1 or true, 0 or false)")
        .hasMessageContaining("enable_mem_pattern '2'");
  }
}
