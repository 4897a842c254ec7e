package dev.infera.core.scheduling;

/**
 * What a scheduler reports for metrics. Every method has an empty default, so a listener overrides
 * only what it records.
 *
 * <p>Threading: called from the scheduler's threads and from callers of {@link Scheduler#enqueue};
 * {@link #onQueueDepthChanged} is called while the scheduler's lock is held, so every method must
 * be fast, must not block and must not call back into the scheduler.
 */
public interface SchedulerListener {

  /** A listener that records nothing. */
  SchedulerListener NONE = new SchedulerListener() {};

  /** The number of queued requests (accepted, not yet executing) changed to {@code depth}. */
  default void onQueueDepthChanged(int depth) {}

  /**
   * A batch executed successfully.
   *
   * @param requests the requests in the batch
   * @param rows the batch rows they carried together
   * @param computeNanos how long the instance took, in nanoseconds
   */
  default void onBatchExecuted(int requests, int rows, long computeNanos) {}

  /** A batch failed; every request in it failed with the same error. Arguments as above. */
  default void onBatchFailed(int requests, int rows, long computeNanos) {}

  /**
   * CPU time the executing thread spent on one batch (successful or not), in nanoseconds; only
   * where the JVM measures thread CPU time.
   */
  default void onExecutionCpu(long cpuNanos) {}

  /** A request was refused at once because its queue was full. */
  default void onQueueFull() {}

  /** A request's queue timeout passed and it was rejected (timeout action REJECT). */
  default void onRequestTimedOut() {}

  /** A caller cancelled a request before it started executing; it left the queue. */
  default void onRequestCancelled() {}
}
