package dev.infera.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import dev.infera.core.config.proto.DataType;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelInput;
import dev.infera.core.config.proto.ModelInstanceGroup;
import dev.infera.core.config.proto.ModelQueuePolicy;
import dev.infera.core.config.proto.ModelSequenceBatching;
import dev.infera.spi.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigParserTest {

  @Test
  void readsReshapeFormatAndLabelFile() {
    ModelConfig config = ConfigFixtures.parse("densenet_onnx.pbtxt");

    assertThat(config.getName()).isEqualTo("densenet_onnx");
    assertThat(config.getPlatform()).isEqualTo("onnxruntime_onnx");
    ModelInput input = config.getInput(0);
    assertThat(input.getFormat()).isEqualTo(ModelInput.Format.FORMAT_NCHW);
    assertThat(input.getDimsList()).containsExactly(3L, 224L, 224L);
    assertThat(input.getReshape().getShapeList()).containsExactly(1L, 3L, 224L, 224L);
    assertThat(config.getOutput(0).getLabelFilename()).isEqualTo("densenet_labels.txt");
  }

  @Test
  void readsPriorityLevelsAndQueuePolicies() {
    var batching = ConfigFixtures.parse("simple_dynamic_batching.pbtxt").getDynamicBatching();

    assertThat(batching.getPreferredBatchSizeList()).containsExactly(4, 8);
    assertThat(batching.getMaxQueueDelayMicroseconds()).isEqualTo(100);
    assertThat(batching.getPriorityLevels()).isEqualTo(3);
    assertThat(batching.getDefaultPriorityLevel()).isEqualTo(2);
    assertThat(batching.getDefaultQueuePolicy().getMaxQueueSize()).isEqualTo(64);
    assertThat(batching.getPriorityQueuePolicyMap()).containsOnlyKeys(1L, 3L);
    assertThat(batching.getPriorityQueuePolicyMap().get(1L).getTimeoutAction())
        .isEqualTo(ModelQueuePolicy.TimeoutAction.DELAY);
  }

  @Test
  void readsInstanceGroupsAndLatestVersionPolicy() {
    ModelConfig config = ConfigFixtures.parse("instance_groups.pbtxt");

    assertThat(config.getInstanceGroupList())
        .extracting(ModelInstanceGroup::getKind, ModelInstanceGroup::getCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ModelInstanceGroup.Kind.KIND_CPU, 2),
            org.assertj.core.groups.Tuple.tuple(ModelInstanceGroup.Kind.KIND_GPU, 1));
    assertThat(config.getInstanceGroup(1).getGpusList()).containsExactly(0, 1);
    assertThat(config.getVersionPolicy().getLatest().getNumVersions()).isEqualTo(2);
  }

  @Test
  void readsAllAndSpecificVersionPolicies() {
    ModelConfig all = ModelConfigParser.parse("version_policy: { all: {} }", "all");
    ModelConfig specific =
        ModelConfigParser.parse("version_policy: { specific: { versions: [1, 3] } }", "specific");

    assertThat(all.getVersionPolicy().hasAll()).isTrue();
    assertThat(specific.getVersionPolicy().getSpecific().getVersionsList()).containsExactly(1L, 3L);
  }

  @Test
  void readsOrtParametersWarmupAndCache() {
    ModelConfig config = ConfigFixtures.parse("warmup_and_ort_parameters.pbtxt");

    assertThat(config.getParametersMap().get("intra_op_thread_count").getStringValue())
        .isEqualTo("2");
    assertThat(config.getOptimization().getGraph().getLevel()).isEqualTo(1);
    assertThat(config.getResponseCache().getEnable()).isTrue();
    assertThat(config.getModelWarmupList()).hasSize(2);
    var ids = config.getModelWarmup(1).getInputsMap().get("input_ids");
    assertThat(ids.getDataType()).isEqualTo(DataType.TYPE_INT64);
    assertThat(ids.getInputDataFile()).isEqualTo("ids.bin");
    assertThat(config.getModelWarmup(1).getCount()).isEqualTo(3);
  }

  @Test
  void readsFilBackendParameters() {
    ModelConfig config = ConfigFixtures.parse("fil_xgboost.pbtxt");

    assertThat(config.getBackend()).isEqualTo("fil");
    assertThat(config.getMaxBatchSize()).isEqualTo(32768);
    assertThat(config.getParametersMap())
        .containsOnlyKeys("model_type", "output_class", "predict_proba", "threshold");
    assertThat(config.getParametersMap().get("threshold").getStringValue()).isEqualTo("0.5");
    assertThat(config.hasDynamicBatching()).isTrue();
  }

  @Test
  void readsSequenceBatchingItDoesNotActOn() {
    ModelConfig config = ConfigFixtures.parse("unsupported_fields.pbtxt");

    ModelSequenceBatching sequence = config.getSequenceBatching();
    assertThat(sequence.getOldest().getMaxCandidateSequences()).isEqualTo(4);
    assertThat(sequence.getControlInput(0).getControl(0).getFp32FalseTrueList())
        .containsExactly(0f, 1f);
  }

  @Test
  void readsEnsembleScheduling() {
    ModelConfig config =
        ModelConfigParser.parse(
            """
            platform: "ensemble"
            ensemble_scheduling {
              step [ { model_name: "pre" model_version: -1
                       input_map { key: "IN" value: "RAW" } output_map { key: "OUT" value: "x" } } ]
              max_inflight_requests: 16
            }
            """,
            "ensemble");

    assertThat(config.getEnsembleScheduling().getStep(0).getInputMapMap())
        .containsEntry("IN", "RAW");
    // Triton's current name for field 2 (a limit this server does not apply: warned at load).
    assertThat(config.getEnsembleScheduling().getMaxInflightRequests()).isEqualTo(16);
  }

  @Test
  void unknownFieldsAreAllNamedWithTheirLines() {
    assertThatThrownBy(() -> ConfigFixtures.parse("broken/unknown_field.pbtxt"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.problems())
                  .containsExactly(
                      "line 4, column 55: unknown field 'shape' in ModelInput",
                      "line 6, column 1: unknown field 'max_queue_delay' in ModelConfig");
              assertThat(e.getMessage()).startsWith("broken/unknown_field.pbtxt: 2 problems");
            });
  }

  @Test
  void everyProblemOfAConfigIsReportedAtOnceWithSuggestions() {
    String text =
        """
        name: "three"
        max_batch_sise: 8
        instance_group [
          {
            kind: KIND_GPUU
          }
        ]
        dynamic_batching { max_queue_delay_microseconds: 100 }
        dynamic_batching { max_queue_delay_microseconds: 200 }
        """;

    assertThatThrownBy(() -> ModelConfigParser.parse(text, "three"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems()).hasSize(3);
              assertThat(e.problems().get(0))
                  .startsWith("line 2")
                  .contains("unknown field 'max_batch_sise' in ModelConfig")
                  .contains("did you mean 'max_batch_size'?");
              assertThat(e.problems().get(1))
                  .startsWith("line 5")
                  .contains("unknown value 'KIND_GPUU'")
                  .contains("did you mean 'KIND_GPU'?");
              assertThat(e.problems().get(2)).startsWith("line 9").contains("dynamic_batching");
              assertThat(e.getMessage()).startsWith("three: 3 problems");
            });
  }

  @Test
  void anUnknownFieldBeforeABadValueIsStillReported() {
    assertThatThrownBy(
            () ->
                ModelConfigParser.parse(
                    "max_batch_size: 4\nmax_queue_delay: 5\ninput [ { name: \"x\" data_type: TYPE_NOPE } ]\n",
                    "both"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(2)
                    .anySatisfy(p -> assertThat(p).contains("unknown field 'max_queue_delay'"))
                    .anySatisfy(p -> assertThat(p).contains("unknown value 'TYPE_NOPE'")));
  }

  @Test
  void unknownDataTypeNamesTheValueAndTheValidOnes() {
    assertThatThrownBy(() -> ConfigFixtures.parse("broken/bad_data_type.pbtxt"))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems(), list(String.class))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("line 3, column")
        .contains("unknown value 'TYPE_FLOAT32' for DataType")
        .contains("TYPE_FP32")
        .contains("TYPE_STRING");
  }

  @Test
  void fieldSetTwiceIsAnError() {
    assertThatThrownBy(
            () -> ModelConfigParser.parse("max_batch_size: 8\nmax_batch_size: 16\n", "twice"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("ModelConfig.max_batch_size");
  }

  @Test
  void twoSchedulingChoicesAreAnError() {
    assertThatThrownBy(
            () -> ModelConfigParser.parse("dynamic_batching {}\nsequence_batching {}\n", "both"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sequence_batching")
        .hasMessageContaining("dynamic_batching");
  }

  @Test
  void syntaxErrorGivesLineAndColumn() {
    assertThatThrownBy(() -> ModelConfigParser.parse("name: \"x\"\ninput [ { name: ", "cut"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cut: line 2, column");
  }

  @Test
  void anUnclosedListAtTheEndOfTheTextIsOneProblemSayingSo() {
    String text =
        "name: \"m\"\nmax_batch_size: 8\n"
            + "input [ { name: \"x\" data_type: TYPE_FP32 dims: [ 4 ] }\n\n# end\n";

    assertThatThrownBy(() -> ModelConfigParser.parse(text, "open"))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems(), list(String.class))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .endsWith("Expected \",\" at the end of the text (is a '[' or '{' left open?)");
  }

  @Test
  void aMistakeFollowedByMoreTextIsNotCalledTheEnd() {
    assertThatThrownBy(() -> ModelConfigParser.parse("max_batch_size: eight\nname: \"m\"\n", "mid"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("mid: line 1, column")
        .hasMessageNotContaining("end of the text");
  }

  @Test
  void aNegativeValueForAnUnsignedFieldNamesTheFieldAndWhatWasExpected() {
    String text =
        "max_batch_size: 8\n"
            + "dynamic_batching {\n"
            + "  max_queue_delay_microseconds: -5\n"
            + "  priority_levels: -1\n"
            + "}\n";

    assertThatThrownBy(() -> ModelConfigParser.parse(text, "negative"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "line 3, column 33: max_queue_delay_microseconds: -5 (expected a whole"
                            + " number >= 0)",
                        "line 4, column 20: priority_levels: -1 (expected a whole number >= 0)"));
  }

  @Test
  void aNumberTooLargeForItsFieldNamesTheFieldAndTheLargest() {
    assertThatThrownBy(() -> ModelConfigParser.parse("max_batch_size: 99999999999\n", "large"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "line 1, column 17: max_batch_size: 99999999999 is out of range (expected"
                            + " at most 2147483647)"));
  }

  @Test
  void readsAFile(@TempDir Path folder) throws Exception {
    Path file = folder.resolve("config.pbtxt");
    Files.writeString(file, ConfigFixtures.text("fil_xgboost.pbtxt"));

    assertThat(ModelConfigParser.parse(file).getBackend()).isEqualTo("fil");
  }

  @Test
  void missingFileIsAConfigProblem(@TempDir Path folder) {
    Path file = folder.resolve("config.pbtxt");

    assertThatThrownBy(() -> ModelConfigParser.parse(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": does not exist");
  }

  @Test
  void emptyTextIsTheDefaultConfig() {
    assertThat(ModelConfigParser.parse("# nothing here\n", "empty"))
        .isEqualTo(ModelConfig.getDefaultInstance());
  }

  @Test
  void inputListsMayUseCommasBetweenFields() {
    List<ModelInput> inputs = ConfigFixtures.parse("simple_dynamic_batching.pbtxt").getInputList();

    assertThat(inputs).extracting(ModelInput::getName).containsExactly("INPUT0", "INPUT1");
  }
}
