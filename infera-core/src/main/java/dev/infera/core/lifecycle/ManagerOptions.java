package dev.infera.core.lifecycle;

/**
 * Server-wide settings of model loading. Defaults live in {@link #defaults()}.
 *
 * @param defaultMaxBatchSize the {@code max_batch_size} given to a batchable model that has no
 *     configuration (Triton's {@code default-max-batch-size}, 4)
 * @param strictModelConfig whether a model must have a {@code config.pbtxt} (Triton's {@code
 *     --strict-model-config}); when false, a missing configuration is completed from the file
 */
public record ManagerOptions(int defaultMaxBatchSize, boolean strictModelConfig) {
  public static final int DEFAULT_MAX_BATCH_SIZE = 4;

  public ManagerOptions {
    if (defaultMaxBatchSize < 1) {
      throw new IllegalArgumentException(
          "defaultMaxBatchSize " + defaultMaxBatchSize + " (expected >= 1)");
    }
  }

  public static ManagerOptions defaults() {
    return new ManagerOptions(DEFAULT_MAX_BATCH_SIZE, false);
  }
}
