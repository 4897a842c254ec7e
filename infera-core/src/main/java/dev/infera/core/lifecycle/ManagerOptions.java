package dev.infera.core.lifecycle;

import java.util.Objects;

/**
 * Server-wide settings of model loading and control. Defaults live in {@link #defaults()}.
 *
 * @param defaultMaxBatchSize the {@code max_batch_size} given to a batchable model that has no
 *     configuration (Triton's {@code default-max-batch-size}, 4)
 * @param strictModelConfig whether a model must have a {@code config.pbtxt} (Triton's {@code
 *     --strict-model-config}); when false, a missing configuration is completed from the file
 * @param strictReadiness whether the server is ready only when every model that should be loaded
 *     has a READY version (Triton's {@code --strict-readiness}, default true); when false, it is
 *     ready whatever the models' states
 * @param control the model control mode and its settings (default: NONE)
 * @param backendConfig server-wide backend settings ({@code --backend-config}), given to backends
 *     as defaults of each model's {@code parameters}
 * @param instanceBudget the most instances the versions under instance autoscaling may run together
 *     ({@code --instance-budget}; default the available processors)
 * @param instanceCount the instance counts of every model loaded: as configured (the default), or
 *     for {@code infera batch --instances}, where throughput matters and the configuration's count
 *     was chosen for online latency, one count for every group or as many as fill the cores ({@link
 *     InstanceCount#apply})
 */
public record ManagerOptions(
    int defaultMaxBatchSize,
    boolean strictModelConfig,
    boolean strictReadiness,
    ControlOptions control,
    BackendConfig backendConfig,
    int instanceBudget,
    InstanceCount instanceCount) {
  public static final int DEFAULT_MAX_BATCH_SIZE = 4;

  public ManagerOptions {
    if (defaultMaxBatchSize < 1) {
      throw new IllegalArgumentException(
          "defaultMaxBatchSize " + defaultMaxBatchSize + " (expected >= 1)");
    }
    Objects.requireNonNull(control, "control");
    Objects.requireNonNull(backendConfig, "backendConfig");
    if (instanceBudget < 1) {
      throw new IllegalArgumentException("instance budget " + instanceBudget + " (expected >= 1)");
    }
    Objects.requireNonNull(instanceCount, "instanceCount");
  }

  public ManagerOptions(
      int defaultMaxBatchSize,
      boolean strictModelConfig,
      boolean strictReadiness,
      ControlOptions control,
      BackendConfig backendConfig) {
    this(
        defaultMaxBatchSize,
        strictModelConfig,
        strictReadiness,
        control,
        backendConfig,
        Runtime.getRuntime().availableProcessors(),
        InstanceCount.configured());
  }

  /** Options with strict readiness and model control mode NONE. */
  public ManagerOptions(int defaultMaxBatchSize, boolean strictModelConfig) {
    this(defaultMaxBatchSize, strictModelConfig, true, ControlOptions.none(), BackendConfig.none());
  }

  public static ManagerOptions defaults() {
    return new ManagerOptions(DEFAULT_MAX_BATCH_SIZE, false);
  }

  /** These options with another strict-readiness setting. */
  public ManagerOptions withStrictReadiness(boolean strict) {
    return new ManagerOptions(
        defaultMaxBatchSize,
        strictModelConfig,
        strict,
        control,
        backendConfig,
        instanceBudget,
        instanceCount);
  }

  /** These options with another model control mode. */
  public ManagerOptions withControl(ControlOptions other) {
    return new ManagerOptions(
        defaultMaxBatchSize,
        strictModelConfig,
        strictReadiness,
        other,
        backendConfig,
        instanceBudget,
        instanceCount);
  }

  /** These options with other server-wide backend settings. */
  public ManagerOptions withBackendConfig(BackendConfig other) {
    return new ManagerOptions(
        defaultMaxBatchSize,
        strictModelConfig,
        strictReadiness,
        control,
        other,
        instanceBudget,
        instanceCount);
  }

  /** These options with another instance budget. */
  public ManagerOptions withInstanceBudget(int other) {
    return new ManagerOptions(
        defaultMaxBatchSize,
        strictModelConfig,
        strictReadiness,
        control,
        backendConfig,
        other,
        instanceCount);
  }

  /** These options with every model's instances counted so. */
  public ManagerOptions withInstanceCount(InstanceCount count) {
    return new ManagerOptions(
        defaultMaxBatchSize,
        strictModelConfig,
        strictReadiness,
        control,
        backendConfig,
        instanceBudget,
        count);
  }
}
