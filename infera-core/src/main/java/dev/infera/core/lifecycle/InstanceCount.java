package dev.infera.core.lifecycle;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelInstanceGroup;
import java.util.OptionalInt;

/**
 * How many instances the instance groups of a loaded model get: as its configuration says, one
 * count for every group ({@code infera batch --instances N}), or as many as keep the machine's
 * cores busy ({@code --instances auto}, a batch job's default: the configured count is usually
 * chosen for online latency, one instance on one thread, and a job that owns the machine wants
 * throughput). Pure; {@link #apply} is the only rule.
 *
 * @param kind which of the three
 * @param count the count of {@link Kind#FIXED} (at least 1); 0 otherwise
 */
public record InstanceCount(Kind kind, int count) {
  /** The three ways to count. */
  public enum Kind {
    CONFIGURED,
    FIXED,
    FILL_CORES
  }

  public InstanceCount {
    if (kind == null) {
      throw new IllegalArgumentException("kind is null");
    }
    if (kind == Kind.FIXED ? count < 1 : count != 0) {
      throw new IllegalArgumentException(
          "instance count " + count + " (expected >= 1 for a fixed count, else 0)");
    }
  }

  public static InstanceCount configured() {
    return new InstanceCount(Kind.CONFIGURED, 0);
  }

  /** {@code count} instances in every instance group. */
  public static InstanceCount of(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("instance count " + count + " (expected >= 1)");
    }
    return new InstanceCount(Kind.FIXED, count);
  }

  public static InstanceCount fillCores() {
    return new InstanceCount(Kind.FILL_CORES, 0);
  }

  /**
   * How many instances a loaded version's configuration runs, as the loader creates them: {@code
   * count} (at least 1) per group, times the GPUs a GPU group lists; 1 without groups.
   */
  public static int instancesOf(ModelConfig config) {
    return VersionLoader.instanceCount(config);
  }

  /**
   * The configuration with these instance counts.
   *
   * <ul>
   *   <li>{@link Kind#CONFIGURED}: as it is.
   *   <li>{@link Kind#FIXED}: every group's {@code count} set (a model without groups gets one
   *       group, a CPU group as without groups).
   *   <li>{@link Kind#FILL_CORES}: when the backend says how many cores one instance keeps busy
   *       ({@code coresPerInstance}), the CPU groups together get {@code processors /
   *       coresPerInstance} instances, shared out between them, never fewer than configured; GPU
   *       groups, and models whose backend cannot tell (it shares the cores among its instances
   *       itself), keep their counts.
   * </ul>
   *
   * @param coresPerInstance what the model's backend says one instance keeps busy, if it can tell
   * @param processors the processors this process may use
   */
  public ModelConfig apply(ModelConfig config, OptionalInt coresPerInstance, int processors) {
    return switch (kind) {
      case CONFIGURED -> config;
      case FIXED -> withCounts(config, count, false);
      case FILL_CORES -> {
        if (coresPerInstance.isEmpty() || coresPerInstance.getAsInt() < 1) {
          yield config;
        }
        int wanted = processors / coresPerInstance.getAsInt();
        int groups = Math.max(1, cpuGroups(config));
        yield wanted <= groups ? config : withCounts(config, wanted / groups, true);
      }
    };
  }

  private static int cpuGroups(ModelConfig config) {
    int groups = 0;
    for (ModelInstanceGroup group : config.getInstanceGroupList()) {
      groups += isCpu(group) ? 1 : 0;
    }
    return groups;
  }

  /** A CPU group: KIND_CPU, or KIND_AUTO without GPUs (which loads on the CPU here). */
  private static boolean isCpu(ModelInstanceGroup group) {
    return group.getKind() == ModelInstanceGroup.Kind.KIND_CPU
        || (group.getKind() == ModelInstanceGroup.Kind.KIND_AUTO && group.getGpusCount() == 0);
  }

  /**
   * Every group's count set to {@code count} ({@code cpuOnly}: the CPU groups', never lowered); a
   * model without groups gets one CPU group of that count.
   */
  private static ModelConfig withCounts(ModelConfig config, int count, boolean cpuOnly) {
    ModelConfig.Builder builder = config.toBuilder();
    if (builder.getInstanceGroupCount() == 0) {
      builder.addInstanceGroup(ModelInstanceGroup.getDefaultInstance()); // as without groups: CPU
    }
    for (int i = 0; i < builder.getInstanceGroupCount(); i++) {
      ModelInstanceGroup group = builder.getInstanceGroup(i);
      if (cpuOnly && !isCpu(group)) {
        continue;
      }
      int set = cpuOnly ? Math.max(count, Math.max(1, group.getCount())) : count;
      builder.setInstanceGroup(i, group.toBuilder().setCount(set));
    }
    return builder.build();
  }
}
