package dev.infera.core.lifecycle;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelDynamicBatching;
import dev.infera.core.config.proto.ModelQueuePolicy;
import dev.infera.core.metrics.VersionMetrics;
import dev.infera.core.scheduling.BatchPolicy;
import dev.infera.core.scheduling.DynamicBatchScheduler;
import dev.infera.core.scheduling.QueuePolicy;
import dev.infera.core.scheduling.Scheduler;
import dev.infera.core.scheduling.SchedulerListener;
import dev.infera.core.scheduling.Ticker;
import dev.infera.spi.ModelInstance;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates a {@link DynamicBatchScheduler} for each version from its configuration's {@code
 * max_batch_size} and {@code dynamic_batching}, recording into the version's meters. A model
 * without {@code dynamic_batching} executes one request at a time per instance.
 */
public final class BatchingSchedulerFactory implements SchedulerFactory {
  private final Ticker ticker;

  public BatchingSchedulerFactory(Ticker ticker) {
    this.ticker = ticker;
  }

  @Override
  public Scheduler create(
      String label, ModelConfig config, List<ModelInstance> instances, VersionMetrics metrics) {
    DynamicBatchScheduler scheduler =
        DynamicBatchScheduler.start(label, instances, policyOf(config), ticker, listener(metrics));
    metrics.bindGauges(scheduler::queueDepth, scheduler::inflightCount);
    return scheduler;
  }

  /** The batching policy a configuration asks for. */
  static BatchPolicy policyOf(ModelConfig config) {
    int maxBatchSize = config.getMaxBatchSize();
    if (!config.hasDynamicBatching() || maxBatchSize == 0) {
      return BatchPolicy.disabled(maxBatchSize);
    }
    ModelDynamicBatching batching = config.getDynamicBatching();
    Map<Integer, QueuePolicy> perLevel = new HashMap<>();
    batching
        .getPriorityQueuePolicyMap()
        .forEach((level, policy) -> perLevel.put(level.intValue(), queuePolicy(policy)));
    return new BatchPolicy(
        true,
        maxBatchSize,
        batching.getPreferredBatchSizeList(),
        Duration.ofNanos(batching.getMaxQueueDelayMicroseconds() * 1000),
        batching.getPreserveOrdering(),
        (int) batching.getPriorityLevels(),
        (int) batching.getDefaultPriorityLevel(),
        batching.hasDefaultQueuePolicy()
            ? queuePolicy(batching.getDefaultQueuePolicy())
            : QueuePolicy.DEFAULT,
        perLevel);
  }

  private static QueuePolicy queuePolicy(ModelQueuePolicy policy) {
    return new QueuePolicy(
        policy.getMaxQueueSize(),
        policy.getTimeoutAction() == ModelQueuePolicy.TimeoutAction.DELAY
            ? QueuePolicy.TimeoutAction.DELAY
            : QueuePolicy.TimeoutAction.REJECT,
        Duration.ofNanos(policy.getDefaultTimeoutMicroseconds() * 1000),
        policy.getAllowTimeoutOverride());
  }

  private static SchedulerListener listener(VersionMetrics metrics) {
    return new SchedulerListener() {
      @Override
      public void onBatchExecuted(int requests, int rows, long computeNanos) {
        metrics.recordExecution(rows);
      }

      @Override
      public void onBatchFailed(int requests, int rows, long computeNanos) {
        metrics.recordExecution(rows);
      }
    };
  }
}
