package dev.infera.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.spi.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelConfigValidatorTest {

  private static List<String> problems(String text) {
    return ModelConfigValidator.problems(ModelConfigParser.parse(text, "test"), "model");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "densenet_onnx.pbtxt",
        "simple_dynamic_batching.pbtxt",
        "instance_groups.pbtxt",
        "warmup_and_ort_parameters.pbtxt",
        "fil_xgboost.pbtxt"
      })
  void documentedConfigsAreValid(String fixture) {
    ModelConfig config = ConfigFixtures.parse(fixture);

    assertThat(ModelConfigValidator.problems(config, null)).isEmpty();
  }

  @Test
  void nameMustMatchTheFolder() {
    assertThat(ModelConfigValidator.problems(ConfigFixtures.parse("densenet_onnx.pbtxt"), "other"))
        .containsExactly(
            "name 'densenet_onnx' does not match the model folder 'other' (expected the same"
                + " name, or no name)");
  }

  @Test
  void negativeDimsAreNamed() {
    assertThat(
            ModelConfigValidator.problems(
                ConfigFixtures.parse("broken/negative_dims.pbtxt"), "simple"))
        .containsExactly("input 'INPUT0': dims [-2] (expected -1 or a positive size)");
  }

  @Test
  void preferredBatchSizeAboveMaxIsNamed() {
    assertThat(
            ModelConfigValidator.problems(
                ConfigFixtures.parse("broken/preferred_above_max.pbtxt"), "simple"))
        .containsExactly(
            "dynamic_batching: preferred_batch_size 16 (expected <= max_batch_size 8)");
  }

  @Test
  void everyProblemIsListedAtOnce() {
    ModelConfig config = ConfigFixtures.parse("broken/many_problems.pbtxt");

    assertThatThrownBy(() -> ModelConfigValidator.validate(config, "simple"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.problems())
                  .containsExactly(
                      "name 'not_the_folder' does not match the model folder 'simple' (expected"
                          + " the same name, or no name)",
                      "version_policy.specific: version -3 (expected >= 0)",
                      "input 'INPUT0': dims [0,16] (expected -1 or a positive size)",
                      "input 'INPUT0': declared more than once (expected unique input names)",
                      "input 'IMAGE': dims [3,224,224] and reshape [1,3,224,225] hold different"
                          + " numbers of elements (expected the same count, with -1 in matching"
                          + " places)",
                      "output 'OUTPUT0': data_type is not set (expected a type such as"
                          + " TYPE_FP32)",
                      "dynamic_batching: preferred_batch_size 0 (expected > 0)",
                      "dynamic_batching: preferred_batch_size 8 (expected <= max_batch_size 4)",
                      "dynamic_batching: default_priority_level 3 (expected 1..2)",
                      "dynamic_batching: priority_queue_policy for level 5 (expected 1..2)",
                      "instance_group #1: count -1 (expected >= 0; 0 means one instance)",
                      "model_warmup 'bad': batch_size 9 (expected 1..4)",
                      "model_warmup 'bad': input 'INPUT0': input_data_file '../../etc/passwd'"
                          + " (expected a relative path inside the model's warmup folder)",
                      "model_warmup 'bad': input 'IMAGE': no data (expected one of zero_data,"
                          + " random_data, input_data_file)");
              assertThat(e.getMessage()).startsWith("model 'simple': 14 problems: name ");
            });
  }

  @Test
  void dynamicBatchingNeedsABatchingModel() {
    assertThat(problems("max_batch_size: 0\ndynamic_batching {}"))
        .containsExactly("dynamic_batching needs max_batch_size > 0 (found 0)");
  }

  @Test
  void negativeMaxBatchSizeIsNamed() {
    assertThat(problems("max_batch_size: -1")).containsExactly("max_batch_size -1 (expected >= 0)");
  }

  @Test
  void emptyDimsAreRejected() {
    assertThat(problems("input [ { name: \"x\" data_type: TYPE_FP32 } ]"))
        .singleElement()
        .asString()
        .startsWith("input 'x': dims is empty");
  }

  @Test
  void emptyReshapeGivesOneValuePerBatchRow() {
    String perRow =
        "input [ { name: \"x\" data_type: TYPE_FP32 dims: [1] reshape { shape: [] } } ]";

    assertThat(problems("max_batch_size: 8\n" + perRow)).isEmpty();
    assertThat(problems("max_batch_size: 0\n" + perRow))
        .containsExactly(
            "input 'x': reshape { shape: [] } needs max_batch_size > 0 (scalars are not"
                + " supported)");
  }

  @Test
  void reshapeWithDynamicSizesMustKeepTheirRuns() {
    String valid =
        "input [ { name: \"x\" data_type: TYPE_FP32 dims: [2,4,-1,6]"
            + " reshape { shape: [8,-1,1,6] } } ]";
    String moved =
        "input [ { name: \"x\" data_type: TYPE_FP32 dims: [2,4,-1,6]"
            + " reshape { shape: [2,-1,4,6] } } ]";

    assertThat(problems(valid)).isEmpty();
    assertThat(problems(moved)).singleElement().asString().contains("hold different numbers");
  }

  @Test
  void unnamedTensorIsCountedFromOne() {
    assertThat(problems("output [ { data_type: TYPE_FP32 dims: [1] } ]"))
        .containsExactly("output #1: name is empty (expected a tensor name)");
  }

  @Test
  void latestNeedsAtLeastOneVersion() {
    assertThat(problems("version_policy { latest { num_versions: 0 } }"))
        .containsExactly("version_policy.latest: num_versions 0 (expected >= 1)");
  }

  @Test
  void specificNeedsVersions() {
    assertThat(problems("version_policy { specific { } }"))
        .containsExactly("version_policy.specific: no versions (expected at least one)");
  }

  @Test
  void zeroInstanceCountMeansTheDefault() {
    assertThat(problems("instance_group [ { count: 0 kind: KIND_CPU } ]")).isEmpty();
  }

  @Test
  void instanceCountOverTheMachinesLimitIsNamed() {
    int limit = ConfigLimits.maxInstances();

    assertThat(problems("instance_group [ { count: 100000 kind: KIND_CPU } ]"))
        .containsExactly(
            "instance_group: 100000 instances in all are over the limit of "
                + limit
                + " on this machine (4 per available core, at least 8)");
    assertThat(
            problems(
                "instance_group [ { count: "
                    + limit
                    + " kind: KIND_CPU }, { count: 1 kind: KIND_CPU } ]"))
        .singleElement()
        .asString()
        .contains((limit + 1) + " instances in all are over the limit of " + limit);
    assertThat(problems("instance_group [ { count: " + limit + " kind: KIND_CPU } ]")).isEmpty();
  }

  @Test
  void batchAndQueueNumbersOverTheirLimitsAreNamed() {
    assertThat(problems("max_batch_size: 2000000"))
        .containsExactly("max_batch_size 2000000 is over the limit of 1048576 rows per batch");
    assertThat(problems("max_batch_size: 8\ndynamic_batching { priority_levels: 100000 }"))
        .contains("dynamic_batching: priority_levels 100000 is over the limit of 256");
  }

  @Test
  void gpusNeedAGpuGroup() {
    assertThat(problems("instance_group [ { kind: KIND_CPU gpus: [0] } ]"))
        .containsExactly(
            "instance_group #1: gpus given for KIND_CPU (expected gpus only with KIND_GPU)");
  }

  @Test
  void priorityPolicyWithoutLevelsIsNamed() {
    assertThat(
            problems(
                "max_batch_size: 4\n"
                    + "dynamic_batching { priority_queue_policy { key: 1 value: {} } }"))
        .containsExactly(
            "dynamic_batching: priority_queue_policy for level 1 (expected none, as"
                + " priority_levels is 0)");
  }

  @Test
  void preserveOrderingAllowsOneLevelOnly() {
    assertThat(
            problems(
                "max_batch_size: 4\n"
                    + "dynamic_batching { preserve_ordering: true priority_levels: 2"
                    + " default_priority_level: 1 }"))
        .containsExactly(
            "dynamic_batching: preserve_ordering with priority_levels 2 (expected at most one"
                + " priority level)");
  }

  @Test
  void warmupInputsNeedTypeDimsAndADeclaredName() {
    String config =
        """
        max_batch_size: 2
        input [ { name: "x" data_type: TYPE_FP32 dims: [4] } ]
        model_warmup [ {
          name: "w" batch_size: 1
          inputs { key: "x" value: { dims: [] zero_data: true } }
          inputs { key: "y" value: { data_type: TYPE_FP32 dims: [-1] random_data: true } }
        } ]
        """;

    assertThat(problems(config))
        .containsExactly(
            "model_warmup 'w': input 'x': data_type is not set (expected a type such as"
                + " TYPE_FP32)",
            "model_warmup 'w': input 'x': dims is empty (expected the shape without the batch"
                + " dimension)",
            "model_warmup 'w': input 'y': dims [-1] (expected positive sizes)",
            "model_warmup 'w': input 'y': not a declared input of the model");
  }

  @Test
  void warmupTypeMustMatchTheInput() {
    String config =
        """
        input [ { name: "x" data_type: TYPE_FP32 dims: [4] } ]
        model_warmup [ { name: "w" batch_size: 1
          inputs { key: "x" value: { data_type: TYPE_INT32 dims: [4] zero_data: true } } } ]
        """;

    assertThat(problems(config))
        .containsExactly(
            "model_warmup 'w': input 'x': data_type TYPE_INT32 (expected TYPE_FP32 as the"
                + " input declares)");
  }

  @Test
  void warmupOfANonBatchingModelHasBatchSizeOne() {
    String config =
        """
        model_warmup [ { name: "w" batch_size: 2
          inputs { key: "x" value: { data_type: TYPE_FP32 dims: [4] zero_data: true } } } ]
        """;

    assertThat(problems(config))
        .containsExactly(
            "model_warmup 'w': batch_size 2 (expected 1..1, as the model does not batch)");
  }

  @Test
  void warmupFilesStayInsideTheWarmupFolder() {
    String template =
        """
        model_warmup [ { name: "w" batch_size: 1
          inputs { key: "x" value: { data_type: TYPE_FP32 dims: [4] input_data_file: "%s" } } } ]
        """;

    assertThat(problems(template.formatted("sub/ok.bin"))).isEmpty();
    assertThat(problems(template.formatted("/etc/passwd"))).hasSize(1);
    assertThat(problems(template.formatted("a/../../b"))).hasSize(1);
    assertThat(problems(template.formatted(""))).hasSize(1);
  }

  @Test
  void unsupportedFieldsAreNamedByPath() {
    assertThat(
            ModelConfigValidator.unsupportedFields(
                ConfigFixtures.parse("unsupported_fields.pbtxt")))
        .containsExactly(
            "input.allow_ragged_batch",
            "instance_group.host_policy",
            "metric_tags",
            "optimization.priority",
            "optimization.execution_accelerators",
            "optimization.input_pinned_memory",
            "model_transaction_policy",
            "model_repository_agents");
  }

  @Test
  void sequenceBatchingIsRefusedWithTheReason() {
    assertThat(
            ModelConfigValidator.problems(ConfigFixtures.parse("unsupported_fields.pbtxt"), null))
        .anySatisfy(
            problem ->
                assertThat(problem).startsWith("sequence_batching:").contains("not supported yet"));
  }

  @Test
  void fieldsInferaActsOnAreNotReported() {
    assertThat(
            ModelConfigValidator.unsupportedFields(
                ConfigFixtures.parse("warmup_and_ort_parameters.pbtxt")))
        .isEmpty();
    assertThat(
            ModelConfigValidator.unsupportedFields(
                ConfigFixtures.parse("simple_dynamic_batching.pbtxt")))
        .isEmpty();
  }

  @Test
  void formatIsReportedForDensenetAndItsLabelFileIsRead() {
    assertThat(ModelConfigValidator.unsupportedFields(ConfigFixtures.parse("densenet_onnx.pbtxt")))
        .containsExactly("input.format");
  }
}
