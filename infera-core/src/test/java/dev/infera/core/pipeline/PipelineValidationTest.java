package dev.infera.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.config.ConfigException;
import dev.infera.core.config.ModelConfigParser;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.contract.ModelInterface;
import dev.infera.core.contract.TensorContract;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Load-time checks of ensembles: each problem names the step and the tensor. */
class PipelineValidationTest {
  private static final String HEAD =
      """
      name: "ens"
      platform: "ensemble"
      max_batch_size: 8
      input [ { name: "IN" data_type: TYPE_FP32 dims: [ 4 ] } ]
      output [ { name: "OUT" data_type: TYPE_FP32 dims: [ 4 ] } ]
      """;

  /** A model with input x and output y, FP32 [-1,4]. */
  private static final ModelInterface XY = model(DataType.FP32, 4);

  private static ModelInterface model(DataType type, long dim) {
    return new ModelInterface(
        8,
        List.of(new TensorContract("x", type, new long[] {dim}, Optional.empty())),
        List.of(new TensorContract("y", type, new long[] {dim}, Optional.empty())));
  }

  private static ModelConfig config(String steps) {
    return ModelConfigParser.parse(
        HEAD + "ensemble_scheduling { " + steps + " }\n" + "", "ens/config.pbtxt");
  }

  private static String step(String model, String in, String out) {
    return "step { model_name: \""
        + model
        + "\" model_version: -1 input_map { key: \"x\" value: \""
        + in
        + "\" } output_map { key: \"y\" value: \""
        + out
        + "\" } }\n";
  }

  private static Map<Integer, ModelInterface> check(
      ModelConfig config, Map<String, ModelInterface> models) {
    Pipeline pipeline = Pipeline.of(config, "ens");
    return PipelineCheck.check(
        pipeline,
        ModelInterface.of(config),
        (name, version) -> Optional.ofNullable(models.get(name)));
  }

  @Test
  void ordersAChainAndAFanOutByDependency() {
    Pipeline pipeline =
        Pipeline.of(
            config(
                step("c", "t1", "OUT")
                        .replace(
                            "input_map { key: \"x\" value: \"t1\" }",
                            "input_map { key: \"x\" value: \"t1\" } input_map { key: \"z\" value: \"t2\" }")
                    + step("a", "IN", "t1")
                    + step("b", "IN", "t2")),
            "ens");
    assertThat(pipeline.steps()).extracting(PipelineStep::model).containsExactly("a", "b", "c");
    assertThat(pipeline.models()).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void aCycleIsALoadErrorNamingTheStepAndTensor() {
    assertThatThrownBy(
            () ->
                Pipeline.of(
                    config(step("a", "IN", "OUT") + step("b", "t1", "t2") + step("c", "t2", "t1")),
                    "ens"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "step 2 (model 'b'): is part of a cycle: its tensor 't2' feeds step 3")
        .hasMessageContaining(
            "step 3 (model 'c'): is part of a cycle: its tensor 't1' feeds step 2")
        .satisfies(
            e -> assertThat(((ConfigException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void aTensorReadButNeverProducedIsNamed() {
    assertThatThrownBy(
            () -> Pipeline.of(config(step("a", "IN", "OUT") + step("b", "nowhere", "t9")), "ens"))
        .hasMessageContaining(
            "step 2 (model 'b'): input 'x' reads tensor 'nowhere', which no step produces and which"
                + " is not an ensemble input");
  }

  @Test
  void unmappedEnsembleInputsAndOutputsAreNamed() {
    assertThatThrownBy(() -> Pipeline.of(config(step("a", "t0", "t1")), "ens"))
        .hasMessageContaining("ensemble input 'IN' is not mapped to any step's input")
        .hasMessageContaining("ensemble output 'OUT' is not mapped from any step's output");
  }

  @Test
  void aTensorWrittenTwiceIsNamed() {
    assertThatThrownBy(
            () -> Pipeline.of(config(step("a", "IN", "OUT") + step("b", "IN", "OUT")), "ens"))
        .hasMessageContaining(
            "step 2 (model 'b'): output 'y' writes tensor 'OUT', which step 1 (model 'a') writes"
                + " too");
  }

  @Test
  void aStepNamingAMissingModelIsALoadError() {
    assertThatThrownBy(
            () ->
                check(config(step("a", "IN", "t1") + step("ghost", "t1", "OUT")), Map.of("a", XY)))
        .hasMessageContaining("step 2 (model 'ghost'): model 'ghost' is not loaded");
  }

  @Test
  void aStepRunningTheEnsembleItselfIsNamedAsSuch() {
    assertThatThrownBy(
            () -> check(config(step("a", "IN", "t1") + step("ens", "t1", "OUT")), Map.of("a", XY)))
        .hasMessageContaining(
            "step 2 (model 'ens'): an ensemble cannot run itself as a step (expected another"
                + " model's name)")
        .hasMessageNotContaining("is not loaded");
  }

  @Test
  void mismatchedDatatypesBetweenStepsNameTheStepAndTensor() {
    assertThatThrownBy(
            () ->
                check(
                    config(step("a", "IN", "t1") + step("b", "t1", "OUT")),
                    Map.of("a", XY, "b", model(DataType.INT32, 4))))
        .hasMessageContaining(
            "step 2 (model 'b') input 'x' reads tensor 't1' as INT32, but step 1 (model 'a')"
                + " output 'y' writes it as FP32");
  }

  @Test
  void mismatchedShapesBetweenStepsNameTheStepAndTensor() {
    assertThatThrownBy(
            () ->
                check(
                    config(step("a", "IN", "t1") + step("b", "t1", "OUT")),
                    Map.of("a", XY, "b", model(DataType.FP32, 5))))
        .hasMessageContaining(
            "step 2 (model 'b') input 'x' reads tensor 't1' with shape [-1, 5], but step 1 (model"
                + " 'a') output 'y' writes it with shape [-1, 4]")
        .hasMessageContaining(
            "ensemble output 'OUT' reads tensor 'OUT' with shape [-1, 4], but step 2 (model 'b')");
  }

  @Test
  void mapsThatNameTensorsTheModelDoesNotHaveAreNamed() {
    String bad = step("a", "IN", "OUT").replace("key: \"x\"", "key: \"wrong\"");
    assertThatThrownBy(() -> check(config(bad), Map.of("a", XY)))
        .hasMessageContaining(
            "step 1 (model 'a'): input_map names input 'wrong', which the model does not have"
                + " (expected one of: x)")
        .hasMessageContaining("step 1 (model 'a'): model input 'x' is not in input_map");
  }

  @Test
  void aValidEnsembleChecksAgainstItsModels() {
    assertThat(check(config(step("a", "IN", "t1") + step("a", "t1", "OUT")), Map.of("a", XY)))
        .containsOnlyKeys(1, 2);
  }

  @Test
  void stepPoliciesAreReadFromParametersByIndexOrModel() {
    ModelConfig config =
        ModelConfigParser.parse(
            HEAD
                + "ensemble_scheduling { "
                + step("a", "IN", "t1")
                + step("b", "t1", "OUT")
                + "}\n"
                + "parameters { key: \"infera.step.b\" value { string_value: \"soft; timeout_ms=50;"
                + " retry=1; fallback_model=a\" } }\n"
                + "parameters { key: \"infera.step.1\" value { string_value: \"when=IN>0\" } }\n",
            "ens/config.pbtxt");
    Pipeline pipeline = Pipeline.of(config, "ens");
    StepPolicy b = pipeline.steps().get(1).policy();
    assertThat(b.soft()).isTrue();
    assertThat(b.timeout()).contains(java.time.Duration.ofMillis(50));
    assertThat(b.retries()).isEqualTo(1);
    assertThat(b.fallbackModel()).contains("a");
    assertThat(pipeline.steps().get(0).policy().when().map(Condition::toString)).contains("IN>0");
  }

  @Test
  void badStepPoliciesAreLoadErrorsNamingTheStep() {
    ModelConfig config =
        ModelConfigParser.parse(
            HEAD
                + "ensemble_scheduling { "
                + step("a", "IN", "OUT")
                + "}\n"
                + "parameters { key: \"infera.step.a\" value { string_value: \"retry=2\" } }\n"
                + "parameters { key: \"infera.step.7\" value { string_value: \"soft\" } }\n",
            "ens/config.pbtxt");
    assertThatThrownBy(() -> Pipeline.of(config, "ens"))
        .hasMessageContaining(
            "step 1 (model 'a'): parameter 'infera.step.a': retry=2 (expected 0 or 1)")
        .hasMessageContaining("parameter 'infera.step.7' names no step");
  }
}
