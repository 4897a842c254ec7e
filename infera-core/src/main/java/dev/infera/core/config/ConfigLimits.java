package dev.infera.core.config;

/**
 * Upper bounds on the numbers of a model configuration that size what the server creates: threads
 * (instances), queues and batches. A configuration beyond one is refused at load with the limit
 * named, before anything is created, so a typo ({@code count: 100000}) cannot exhaust the host.
 *
 * <p>The instance bound follows the machine: {@value #INSTANCES_PER_CORE} instances per available
 * core (at least {@value #MIN_INSTANCES}), summed over a model's instance groups. Each instance
 * owns a thread and, for most backends, native memory.
 */
public final class ConfigLimits {
  /** Instances per available processor a model may ask for. */
  public static final int INSTANCES_PER_CORE = 4;

  /** The instance bound on the smallest machines. */
  public static final int MIN_INSTANCES = 8;

  /** The largest {@code max_batch_size}: rows per execution. */
  public static final int MAX_BATCH_SIZE = 1 << 20;

  /** The most {@code dynamic_batching.priority_levels} (one queue each). */
  public static final long MAX_PRIORITY_LEVELS = 256;

  /** The most {@code dynamic_batching.preferred_batch_size} entries. */
  public static final int MAX_PREFERRED_BATCH_SIZES = 64;

  private ConfigLimits() {}

  /** The most instances one model version may have on this machine. */
  public static int maxInstances() {
    return Math.max(MIN_INSTANCES, INSTANCES_PER_CORE * Runtime.getRuntime().availableProcessors());
  }
}
