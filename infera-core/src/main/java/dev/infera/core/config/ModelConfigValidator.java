package dev.infera.core.config;

import dev.infera.core.config.proto.DataType;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelDynamicBatching;
import dev.infera.core.config.proto.ModelInput;
import dev.infera.core.config.proto.ModelInstanceGroup;
import dev.infera.core.config.proto.ModelOutput;
import dev.infera.core.config.proto.ModelQueuePolicy;
import dev.infera.core.config.proto.ModelTensorReshape;
import dev.infera.core.config.proto.ModelVersionPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what a configuration says on its own, following Triton's rules, and lists every problem at
 * once. Each problem names the field or tensor, the value found and what was expected, e.g. {@code
 * input 'INPUT0': dims [-2] (expected -1 or a positive size)}.
 *
 * <p>A configuration need not declare inputs or outputs here: {@link ModelConfigCompleter} fills
 * them from the model file and validates the result again. Stateless and safe from any thread.
 */
public final class ModelConfigValidator {
  private ModelConfigValidator() {}

  /**
   * Every problem in the configuration, in field order; empty when it is valid.
   *
   * @param folderName the model's folder in the repository, which a set {@code name} must equal;
   *     null to skip that check
   */
  public static List<String> problems(ModelConfig config, String folderName) {
    List<String> problems = new ArrayList<>();
    if (folderName != null && !config.getName().isEmpty() && !config.getName().equals(folderName)) {
      problems.add(
          "name '"
              + config.getName()
              + "' does not match the model folder '"
              + folderName
              + "' (expected the same name, or no name)");
    }
    if (config.getMaxBatchSize() < 0) {
      problems.add("max_batch_size " + config.getMaxBatchSize() + " (expected >= 0)");
    } else if (config.getMaxBatchSize() > ConfigLimits.MAX_BATCH_SIZE) {
      problems.add(
          "max_batch_size "
              + config.getMaxBatchSize()
              + " is over the limit of "
              + ConfigLimits.MAX_BATCH_SIZE
              + " rows per batch");
    }
    checkVersionPolicy(config.getVersionPolicy(), problems);
    checkTensors(config, problems);
    if (config.hasDynamicBatching()) {
      checkDynamicBatching(config.getDynamicBatching(), config.getMaxBatchSize(), problems);
    }
    checkInstanceGroups(config.getInstanceGroupList(), problems);
    WarmupValidator.check(config, problems);
    if (config.hasSequenceBatching()) {
      problems.add(
          "sequence_batching: stateful (sequence) models are not supported yet; serving one would"
              + " answer each request on its own and lose the sequence's state (expected"
              + " dynamic_batching or no scheduler)");
    }
    return problems;
  }

  /**
   * Throws when the configuration has any problem.
   *
   * @throws ConfigException listing every problem, with {@code model '<folderName>'} as subject
   */
  public static void validate(ModelConfig config, String folderName) {
    List<String> problems = problems(config, folderName);
    if (!problems.isEmpty()) {
      String model = folderName != null ? folderName : config.getName();
      throw new ConfigException("model '" + model + "'", problems);
    }
  }

  /**
   * The dotted paths of fields that are set but that Infera does not act on yet, in schema order,
   * so that the caller can warn, e.g. {@code model 'x': config field 'sequence_batching' is not
   * supported yet and is ignored}. Such fields are not problems: the configuration stays valid.
   *
   * <p>Infera acts on {@code name}, {@code platform}, {@code backend}, {@code max_batch_size},
   * {@code version_policy}, the {@code name}, {@code data_type}, {@code dims} and {@code reshape}
   * of each {@code input} and {@code output}, the {@code name}, {@code kind} and {@code count} of
   * each {@code instance_group}, {@code dynamic_batching}, {@code parameters}, {@code
   * default_model_filename}, {@code model_warmup}, {@code optimization.graph} and {@code
   * response_cache}. Anything else is reported by its path, such as {@code
   * instance_group.host_policy} or {@code output.is_shape_tensor}; {@code sequence_batching} is not
   * listed, since {@link #problems} refuses it.
   */
  public static List<String> unsupportedFields(ModelConfig config) {
    return UnsupportedFields.of(config);
  }

  private static void checkVersionPolicy(ModelVersionPolicy policy, List<String> problems) {
    switch (policy.getPolicyChoiceCase()) {
      case LATEST -> {
        if (policy.getLatest().getNumVersions() < 1) {
          problems.add(
              "version_policy.latest: num_versions "
                  + Integer.toUnsignedString(policy.getLatest().getNumVersions())
                  + " (expected >= 1)");
        }
      }
      case SPECIFIC -> {
        if (policy.getSpecific().getVersionsCount() == 0) {
          problems.add("version_policy.specific: no versions (expected at least one)");
        }
        for (long version : policy.getSpecific().getVersionsList()) {
          if (version < 0) {
            problems.add("version_policy.specific: version " + version + " (expected >= 0)");
          }
        }
      }
      default -> {}
    }
  }

  private static void checkTensors(ModelConfig config, List<String> problems) {
    int maxBatchSize = config.getMaxBatchSize();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < config.getInputCount(); i++) {
      ModelInput input = config.getInput(i);
      String label = label("input", input.getName(), i);
      checkTensor(
          label,
          input.getName(),
          input.getDataType(),
          input.getDimsList(),
          input.hasReshape() ? input.getReshape() : null,
          maxBatchSize,
          problems);
      if (!input.getName().isEmpty() && !seen.add(input.getName())) {
        problems.add(label + ": declared more than once (expected unique input names)");
      }
    }
    seen.clear();
    for (int i = 0; i < config.getOutputCount(); i++) {
      ModelOutput output = config.getOutput(i);
      String label = label("output", output.getName(), i);
      checkTensor(
          label,
          output.getName(),
          output.getDataType(),
          output.getDimsList(),
          output.hasReshape() ? output.getReshape() : null,
          maxBatchSize,
          problems);
      if (!output.getName().isEmpty() && !seen.add(output.getName())) {
        problems.add(label + ": declared more than once (expected unique output names)");
      }
    }
  }

  /** {@code input 'x'}, or {@code input #2} when the name is missing. */
  static String label(String kind, String name, int index) {
    return name.isEmpty() ? kind + " #" + (index + 1) : kind + " '" + name + "'";
  }

  private static void checkTensor(
      String label,
      String name,
      DataType dataType,
      List<Long> dims,
      ModelTensorReshape reshape,
      int maxBatchSize,
      List<String> problems) {
    if (name.isEmpty()) {
      problems.add(label + ": name is empty (expected a tensor name)");
    }
    if (dataType == DataType.TYPE_INVALID || dataType == DataType.UNRECOGNIZED) {
      problems.add(label + ": data_type is not set (expected a type such as TYPE_FP32)");
    }
    if (dims.isEmpty()) {
      problems.add(
          label
              + ": dims is empty (expected at least one size; for one value per batch row use"
              + " dims [1] with reshape { shape: [] })");
    } else if (!Dims.allValid(dims)) {
      problems.add(label + ": dims " + Dims.format(dims) + " (expected -1 or a positive size)");
    }
    if (reshape != null) {
      checkReshape(label, dims, reshape.getShapeList(), maxBatchSize, problems);
    }
  }

  private static void checkReshape(
      String label, List<Long> dims, List<Long> shape, int maxBatchSize, List<String> problems) {
    if (shape.isEmpty()) {
      if (maxBatchSize == 0) {
        problems.add(
            label + ": reshape { shape: [] } needs max_batch_size > 0 (scalars are not supported)");
      } else if (!dims.equals(List.of(1L))) {
        problems.add(
            label + ": reshape { shape: [] } needs dims [1] (found " + Dims.format(dims) + ")");
      }
      return;
    }
    if (!Dims.allValid(shape)) {
      problems.add(label + ": reshape " + Dims.format(shape) + " (expected -1 or a positive size)");
      return;
    }
    if (dims.isEmpty() || !Dims.allValid(dims)) {
      return;
    }
    try {
      if (!Dims.fixedRunProducts(dims).equals(Dims.fixedRunProducts(shape))) {
        problems.add(
            label
                + ": dims "
                + Dims.format(dims)
                + " and reshape "
                + Dims.format(shape)
                + " hold different numbers of elements (expected the same count, with -1 in"
                + " matching places)");
      }
    } catch (ArithmeticException e) {
      problems.add(label + ": dims or reshape hold more elements than a tensor can");
    }
  }

  private static void checkDynamicBatching(
      ModelDynamicBatching batching, int maxBatchSize, List<String> problems) {
    if (maxBatchSize <= 0) {
      problems.add("dynamic_batching needs max_batch_size > 0 (found " + maxBatchSize + ")");
    }
    for (int size : batching.getPreferredBatchSizeList()) {
      if (size <= 0) {
        problems.add("dynamic_batching: preferred_batch_size " + size + " (expected > 0)");
      } else if (maxBatchSize > 0 && size > maxBatchSize) {
        problems.add(
            "dynamic_batching: preferred_batch_size "
                + size
                + " (expected <= max_batch_size "
                + maxBatchSize
                + ")");
      }
    }
    if (batching.getPreferredBatchSizeCount() > ConfigLimits.MAX_PREFERRED_BATCH_SIZES) {
      problems.add(
          "dynamic_batching: "
              + batching.getPreferredBatchSizeCount()
              + " preferred_batch_size entries are over the limit of "
              + ConfigLimits.MAX_PREFERRED_BATCH_SIZES);
    }
    if (Long.compareUnsigned(batching.getPriorityLevels(), ConfigLimits.MAX_PRIORITY_LEVELS) > 0) {
      problems.add(
          "dynamic_batching: priority_levels "
              + Long.toUnsignedString(batching.getPriorityLevels())
              + " is over the limit of "
              + ConfigLimits.MAX_PRIORITY_LEVELS);
    }
    checkPriorities(batching, problems);
  }

  private static void checkPriorities(ModelDynamicBatching batching, List<String> problems) {
    long levels = batching.getPriorityLevels();
    String range = levels == 0 ? "none, as priority_levels is 0" : "1.." + levels;
    long defaultLevel = batching.getDefaultPriorityLevel();
    boolean defaultOutOfRange =
        levels == 0
            ? defaultLevel != 0
            : defaultLevel == 0 || Long.compareUnsigned(defaultLevel, levels) > 0;
    if (defaultOutOfRange) {
      problems.add(
          "dynamic_batching: default_priority_level "
              + Long.toUnsignedString(defaultLevel)
              + " (expected "
              + range
              + ")");
    }
    for (long level : batching.getPriorityQueuePolicyMap().keySet()) {
      if (level == 0 || Long.compareUnsigned(level, levels) > 0) {
        problems.add(
            "dynamic_batching: priority_queue_policy for level "
                + Long.toUnsignedString(level)
                + " (expected "
                + range
                + ")");
      }
    }
    if (batching.getPreserveOrdering()) {
      if (Long.compareUnsigned(levels, 1) > 0) {
        problems.add(
            "dynamic_batching: preserve_ordering with priority_levels "
                + Long.toUnsignedString(levels)
                + " (expected at most one priority level)");
      }
      List<ModelQueuePolicy> policies = new ArrayList<>();
      policies.add(batching.getDefaultQueuePolicy());
      policies.addAll(batching.getPriorityQueuePolicyMap().values());
      if (policies.stream().anyMatch(ModelConfigValidator::delaysOnTimeout)) {
        problems.add(
            "dynamic_batching: preserve_ordering with a queue policy whose timeout_action is"
                + " DELAY (expected REJECT)");
      }
    }
  }

  private static boolean delaysOnTimeout(ModelQueuePolicy policy) {
    return policy.getDefaultTimeoutMicroseconds() != 0
        && policy.getTimeoutAction() == ModelQueuePolicy.TimeoutAction.DELAY;
  }

  private static void checkInstanceGroups(List<ModelInstanceGroup> groups, List<String> problems) {
    long instances = 0;
    for (ModelInstanceGroup group : groups) {
      instances += Math.max(1, group.getCount());
    }
    int limit = ConfigLimits.maxInstances();
    if (instances > limit) {
      problems.add(
          "instance_group: "
              + instances
              + " instances in all are over the limit of "
              + limit
              + " on this machine ("
              + ConfigLimits.INSTANCES_PER_CORE
              + " per available core, at least "
              + ConfigLimits.MIN_INSTANCES
              + ")");
    }
    for (int i = 0; i < groups.size(); i++) {
      ModelInstanceGroup group = groups.get(i);
      String label = label("instance_group", group.getName(), i);
      if (group.getCount() < 0) {
        problems.add(
            label + ": count " + group.getCount() + " (expected >= 0; 0 means one instance)");
      }
      boolean cpuOnly =
          group.getKind() == ModelInstanceGroup.Kind.KIND_CPU
              || group.getKind() == ModelInstanceGroup.Kind.KIND_MODEL;
      if (cpuOnly && group.getGpusCount() > 0) {
        problems.add(
            label + ": gpus given for " + group.getKind() + " (expected gpus only with KIND_GPU)");
      }
      for (int gpu : group.getGpusList()) {
        if (gpu < 0) {
          problems.add(label + ": gpu " + gpu + " (expected a device index >= 0)");
        }
      }
    }
  }
}
