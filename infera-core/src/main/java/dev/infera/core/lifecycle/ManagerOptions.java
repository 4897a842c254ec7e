package dev.infera.core.lifecycle;

/**
 * Server-wide settings of model loading. Defaults live in {@link #defaults()}.
 *
 * @param defaultMaxBatchSize the {@code max_batch_size} given to a batchable model that has no
 *     configuration (Triton's {@code default-max-batch-size}, 4)
 * @param strictModelConfig whether a model must have a {@code config.pbtxt} (Triton's {@code
 *     --strict-model-config}); when false, a missing configuration is completed from the file
 * @param strictReadiness whether the server is ready only when every model that should be loaded
 *     has a READY version (Triton's {@code --strict-readiness}, default true); when false, it is
 *     ready whatever the models' states
 */
public record ManagerOptions(
    int defaultMaxBatchSize, boolean strictModelConfig, boolean strictReadiness) {
  public static final int DEFAULT_MAX_BATCH_SIZE = 4;

  public ManagerOptions {
    if (defaultMaxBatchSize < 1) {
      throw new IllegalArgumentException(
          "defaultMaxBatchSize " + defaultMaxBatchSize + " (expected >= 1)");
    }
  }

  /** Options with strict readiness. */
  public ManagerOptions(int defaultMaxBatchSize, boolean strictModelConfig) {
    this(defaultMaxBatchSize, strictModelConfig, true);
  }

  public static ManagerOptions defaults() {
    return new ManagerOptions(DEFAULT_MAX_BATCH_SIZE, false, true);
  }

  /** These options with another strict-readiness setting. */
  public ManagerOptions withStrictReadiness(boolean strict) {
    return new ManagerOptions(defaultMaxBatchSize, strictModelConfig, strict);
  }
}
