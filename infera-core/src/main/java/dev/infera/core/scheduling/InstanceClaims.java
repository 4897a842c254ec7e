package dev.infera.core.scheduling;

import dev.infera.spi.ModelInstance;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * For {@link DynamicBatchScheduler}: which instances' threads wait for work, which instances a
 * caller claimed to run a batch itself ({@link CallerRuns}), and the version's recent pace, which
 * decides whether a caller may. Idle and claimed instances are guarded by the scheduler's lock; the
 * pace is read and written without it (a racy update loses a sample at worst).
 */
final class InstanceClaims {
  /**
   * Callers run batches themselves only while the version's recent batches took less than this each
   * (a moving average of their execution time).
   */
  static final long MAX_BATCH_NANOS = 100_000;

  /**
   * Callers run batches themselves only while fewer requests than this (in 1/1024ths: 1.25) wanted
   * an instance at once, on average: a version that mostly serves one request at a time. Under
   * load, requests wait for the instance's thread and join into larger batches, which costs less
   * per request than running alone.
   */
  static final long MAX_CONTENTION = 1280;

  private static final long ONE_REQUEST = 1024;

  private final ArrayDeque<ModelInstance> idle = new ArrayDeque<>();
  private final Set<ModelInstance> claimed = new HashSet<>();

  /** Moving average of a batch's execution time; MAX_VALUE until the first batch ran. */
  private volatile long recentBatchNanos = Long.MAX_VALUE;

  /**
   * Moving average of how many requests wanted an instance at once, in 1/1024ths of a request: a
   * batch's requests on an instance's thread, or a caller's one plus those queued while it ran (a
   * caller's batch always holds one request; counted as one, it would hide the load).
   */
  private volatile long recentContention;

  /** The instance's thread starts waiting for work: a caller may claim it. */
  void waiting(ModelInstance instance) {
    if (!idle.contains(instance)) {
      idle.addLast(instance);
    }
  }

  /** The instance's thread woke, whatever woke it: no longer idle. */
  void woke(ModelInstance instance) {
    idle.remove(instance);
  }

  boolean isClaimed(ModelInstance instance) {
    return claimed.contains(instance);
  }

  boolean anyClaimed() {
    return !claimed.isEmpty();
  }

  int idleCount() {
    return idle.size();
  }

  /**
   * Claims the most recently idle instance when the current thread has the permit and the version
   * is fast and lightly loaded; null otherwise.
   */
  ModelInstance claim() {
    if (!CallerRuns.permitted()
        || idle.isEmpty()
        || recentBatchNanos >= MAX_BATCH_NANOS
        || recentContention >= MAX_CONTENTION) {
      return null;
    }
    ModelInstance instance = idle.pollLast();
    claimed.add(instance);
    return instance;
  }

  /**
   * Ends a claim. {@code stillIdle}: the instance's thread still waits for work and nothing else
   * needs waking it, so the instance is idle again at once.
   */
  void release(ModelInstance instance, boolean stillIdle) {
    claimed.remove(instance);
    if (stillIdle) {
      waiting(instance);
    }
  }

  /**
   * Counts a batch that took {@code nanos} to execute, on any thread. A sample counts as at most
   * twice the limit, so that one batch the operating system held up (a preempted thread on a busy
   * machine) cannot close the way for callers for long; a model whose batches all take longer still
   * closes it within a few batches.
   */
  void executed(long nanos) {
    long sample = Math.min(nanos, 2 * MAX_BATCH_NANOS);
    long recent = recentBatchNanos;
    recentBatchNanos = recent == Long.MAX_VALUE ? sample : recent + (sample - recent) / 8;
  }

  /**
   * Counts {@code requests} that wanted an instance at once: the batch an instance's thread ran, or
   * a caller's request and those queued while it ran.
   */
  void contended(int requests) {
    long recent = recentContention;
    recentContention = recent + (Math.min(requests, 64) * ONE_REQUEST - recent) / 8;
  }
}
