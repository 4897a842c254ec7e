package dev.infera.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.config.ModelConfigParser;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelInstanceGroup;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class InstanceCountTest {
  private static ModelConfig config(String groups) {
    return ModelConfigParser.parse("name: \"m\"\nbackend: \"onnxruntime\"\n" + groups, "test");
  }

  private static List<Integer> counts(ModelConfig config) {
    return config.getInstanceGroupList().stream().map(ModelInstanceGroup::getCount).toList();
  }

  @Test
  void configuredLeavesTheConfigurationAsItIs() {
    ModelConfig config = config("instance_group [ { count: 1, kind: KIND_CPU } ]");

    assertThat(InstanceCount.configured().apply(config, OptionalInt.of(1), 8)).isSameAs(config);
  }

  @Test
  void aFixedCountSetsEveryGroupAndGivesAModelWithoutGroupsOne() {
    ModelConfig grouped =
        config(
            "instance_group [ { count: 1, kind: KIND_CPU }, { count: 2, kind: KIND_GPU, gpus: [0] } ]");

    assertThat(counts(InstanceCount.of(3).apply(grouped, OptionalInt.empty(), 8)))
        .containsExactly(3, 3);
    assertThat(counts(InstanceCount.of(3).apply(config(""), OptionalInt.empty(), 8)))
        .containsExactly(3);
  }

  @Test
  void fillingTheCoresDividesTheProcessorsByTheCoresOfOneInstance() {
    ModelConfig one = config("instance_group [ { count: 1, kind: KIND_CPU } ]");

    assertThat(counts(InstanceCount.fillCores().apply(one, OptionalInt.of(1), 2)))
        .containsExactly(2);
    assertThat(counts(InstanceCount.fillCores().apply(one, OptionalInt.of(2), 8)))
        .containsExactly(4);
    assertThat(counts(InstanceCount.fillCores().apply(config(""), OptionalInt.of(1), 4)))
        .containsExactly(4);
    // KIND_AUTO without GPUs loads on the CPU
    assertThat(
            counts(
                InstanceCount.fillCores()
                    .apply(config("instance_group [ { kind: KIND_AUTO } ]"), OptionalInt.of(1), 3)))
        .containsExactly(3);
  }

  @Test
  void fillingTheCoresNeverLowersACountAndLeavesGpuGroupsAlone() {
    ModelConfig many = config("instance_group [ { count: 6, kind: KIND_CPU } ]");
    ModelConfig mixed =
        config(
            "instance_group [ { count: 1, kind: KIND_CPU }, { count: 1, kind: KIND_CPU },"
                + " { count: 1, kind: KIND_GPU, gpus: [0] } ]");

    assertThat(counts(InstanceCount.fillCores().apply(many, OptionalInt.of(1), 4)))
        .containsExactly(6);
    // two CPU groups share the cores; the GPU group keeps its count
    assertThat(counts(InstanceCount.fillCores().apply(mixed, OptionalInt.of(1), 8)))
        .containsExactly(4, 4, 1);
  }

  @Test
  void fillingTheCoresKeepsTheCountWhenTheBackendCannotTellOrOneInstanceTakesEveryCore() {
    ModelConfig one = config("instance_group [ { count: 1, kind: KIND_CPU } ]");

    assertThat(InstanceCount.fillCores().apply(one, OptionalInt.empty(), 8)).isSameAs(one);
    assertThat(InstanceCount.fillCores().apply(one, OptionalInt.of(4), 2)).isSameAs(one);
    assertThat(InstanceCount.fillCores().apply(one, OptionalInt.of(2), 2)).isSameAs(one);
  }

  @Test
  void aFixedCountBelowOneIsRefused() {
    assertThatThrownBy(() -> InstanceCount.of(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("instance count 0 (expected >= 1)");
  }
}
