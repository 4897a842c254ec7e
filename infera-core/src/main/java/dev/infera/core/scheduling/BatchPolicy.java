package dev.infera.core.scheduling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How a model version's requests are queued and batched: Triton's {@code max_batch_size} and {@code
 * dynamic_batching} settings, as plain validated values. docs/scheduling.md describes each.
 *
 * @param enabled whether requests are batched together ({@code dynamic_batching} present); when
 *     false each request executes alone
 * @param maxBatchSize the most rows one execution takes ({@code max_batch_size}); 0 means the model
 *     has no batch dimension, so every request executes alone
 * @param preferredBatchSizes batch sizes, in rows, that execute as soon as they can be formed
 *     ({@code preferred_batch_size}); each within 1..maxBatchSize
 * @param maxQueueDelay how long the oldest request of a forming batch may wait for more to join
 *     ({@code max_queue_delay_microseconds}); zero means no waiting
 * @param preserveOrdering whether responses complete in the order requests arrived ({@code
 *     preserve_ordering})
 * @param priorityLevels the number of priority levels, 1 highest ({@code priority_levels}); 0 means
 *     one level for every request
 * @param defaultPriorityLevel the level of a request that names none ({@code
 *     default_priority_level}); within 1..priorityLevels, or 0 when there are no levels
 * @param defaultQueuePolicy the queue policy of every level without its own ({@code
 *     default_queue_policy})
 * @param priorityQueuePolicies per-level queue policies ({@code priority_queue_policy}), keyed by
 *     level within 1..priorityLevels
 */
public record BatchPolicy(
    boolean enabled,
    int maxBatchSize,
    List<Integer> preferredBatchSizes,
    Duration maxQueueDelay,
    boolean preserveOrdering,
    int priorityLevels,
    int defaultPriorityLevel,
    QueuePolicy defaultQueuePolicy,
    Map<Integer, QueuePolicy> priorityQueuePolicies) {

  public BatchPolicy {
    preferredBatchSizes = List.copyOf(preferredBatchSizes);
    priorityQueuePolicies = Map.copyOf(priorityQueuePolicies);
    List<String> problems = new ArrayList<>();
    if (maxBatchSize < 0) {
      problems.add("max_batch_size " + maxBatchSize + " (expected >= 0)");
    }
    for (int size : preferredBatchSizes) {
      if (size < 1 || size > maxBatchSize) {
        problems.add(
            "preferred_batch_size " + size + " (expected 1.." + maxBatchSize + ", max_batch_size)");
      }
    }
    if (maxQueueDelay == null || maxQueueDelay.isNegative()) {
      problems.add("max_queue_delay " + maxQueueDelay + " (expected a duration >= 0)");
    }
    checkPriorities(priorityLevels, defaultPriorityLevel, priorityQueuePolicies, problems);
    if (defaultQueuePolicy == null) {
      problems.add("default_queue_policy missing");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("batch policy: " + String.join("; ", problems));
    }
  }

  private static void checkPriorities(
      int levels, int defaultLevel, Map<Integer, QueuePolicy> perLevel, List<String> problems) {
    if (levels < 0) {
      problems.add("priority_levels " + levels + " (expected >= 0)");
    } else if (levels == 0 && defaultLevel != 0) {
      problems.add("default_priority_level " + defaultLevel + " (expected 0: no priority_levels)");
    } else if (levels > 0 && (defaultLevel < 1 || defaultLevel > levels)) {
      problems.add("default_priority_level " + defaultLevel + " (expected 1.." + levels + ")");
    }
    for (int level : new TreeSet<>(perLevel.keySet())) {
      if (level < 1 || level > levels) {
        problems.add(
            "priority_queue_policy for level " + level + " (expected levels 1.." + levels + ")");
      }
    }
  }

  /** No batching: each request executes alone, in arrival order, with default queue policy. */
  public static BatchPolicy disabled(int maxBatchSize) {
    return new BatchPolicy(
        false, maxBatchSize, List.of(), Duration.ZERO, false, 0, 0, QueuePolicy.DEFAULT, Map.of());
  }

  /** Triton's {@code dynamic_batching { }}: batches as large as possible, no waiting. */
  public static BatchPolicy dynamic(int maxBatchSize) {
    return new BatchPolicy(
        true, maxBatchSize, List.of(), Duration.ZERO, false, 0, 0, QueuePolicy.DEFAULT, Map.of());
  }

  public BatchPolicy withPreferredBatchSizes(List<Integer> sizes) {
    return new BatchPolicy(
        enabled,
        maxBatchSize,
        sizes,
        maxQueueDelay,
        preserveOrdering,
        priorityLevels,
        defaultPriorityLevel,
        defaultQueuePolicy,
        priorityQueuePolicies);
  }

  public BatchPolicy withMaxQueueDelay(Duration delay) {
    return new BatchPolicy(
        enabled,
        maxBatchSize,
        preferredBatchSizes,
        delay,
        preserveOrdering,
        priorityLevels,
        defaultPriorityLevel,
        defaultQueuePolicy,
        priorityQueuePolicies);
  }

  public BatchPolicy withPreserveOrdering(boolean preserve) {
    return new BatchPolicy(
        enabled,
        maxBatchSize,
        preferredBatchSizes,
        maxQueueDelay,
        preserve,
        priorityLevels,
        defaultPriorityLevel,
        defaultQueuePolicy,
        priorityQueuePolicies);
  }

  public BatchPolicy withPriorityLevels(int levels, int defaultLevel) {
    return new BatchPolicy(
        enabled,
        maxBatchSize,
        preferredBatchSizes,
        maxQueueDelay,
        preserveOrdering,
        levels,
        defaultLevel,
        defaultQueuePolicy,
        priorityQueuePolicies);
  }

  public BatchPolicy withDefaultQueuePolicy(QueuePolicy policy) {
    return new BatchPolicy(
        enabled,
        maxBatchSize,
        preferredBatchSizes,
        maxQueueDelay,
        preserveOrdering,
        priorityLevels,
        defaultPriorityLevel,
        policy,
        priorityQueuePolicies);
  }

  public BatchPolicy withPriorityQueuePolicy(int level, QueuePolicy policy) {
    Map<Integer, QueuePolicy> policies = new HashMap<>(priorityQueuePolicies);
    policies.put(level, policy);
    return new BatchPolicy(
        enabled,
        maxBatchSize,
        preferredBatchSizes,
        maxQueueDelay,
        preserveOrdering,
        priorityLevels,
        defaultPriorityLevel,
        defaultQueuePolicy,
        policies);
  }

  /** Whether requests are merged: batching enabled on a model with a batch dimension. */
  boolean mergesRequests() {
    return enabled && maxBatchSize > 0;
  }

  /** The number of queues: one per priority level, at least one. */
  int levelCount() {
    return Math.max(1, priorityLevels);
  }

  /** The 0-based queue of a request's priority: 0 or out of range means the default level. */
  int levelIndex(int priority) {
    if (priorityLevels == 0) {
      return 0;
    }
    int level = priority < 1 || priority > priorityLevels ? defaultPriorityLevel : priority;
    return level - 1;
  }

  /** The queue policy of a 0-based level. */
  QueuePolicy queuePolicy(int levelIndex) {
    return priorityQueuePolicies.getOrDefault(levelIndex + 1, defaultQueuePolicy);
  }
}
