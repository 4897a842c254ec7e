package dev.infera.core.scheduling;

import dev.infera.spi.ModelInstance;
import java.util.concurrent.CompletableFuture;

/**
 * A scheduler whose instances can be added and retired while it serves (in-process instance
 * autoscaling), and the cumulative figures that decide it.
 *
 * <p>Threading: every method may be called from any thread.
 */
public interface ElasticInstances {

  /** The instances whose threads take work now (retiring ones excluded). */
  int instanceCount();

  /**
   * Starts a thread that takes work on {@code instance}; the caller warmed it before.
   *
   * @throws IllegalStateException when the scheduler is stopping
   */
  void addInstance(ModelInstance instance);

  /**
   * Lets the thread of an added instance finish its current batch and end.
   *
   * @return completes once the thread took its last batch; the caller then closes the instance
   * @throws IllegalArgumentException when {@code instance} is not an instance this scheduler runs
   * @throws IllegalStateException when it is the last instance that is not retiring
   */
  CompletableFuture<Void> retireInstance(ModelInstance instance);

  /** What every instance did since the scheduler started. */
  QueueWaits queueWaits();

  /**
   * Cumulative figures since the scheduler started; two snapshots' difference describes the time
   * between them.
   *
   * @param started requests that left the queue to execute
   * @param waitedNanos the time those requests waited in the queue, together
   * @param busyNanos the time instances spent executing batches, together
   */
  record QueueWaits(long started, long waitedNanos, long busyNanos) {}
}
