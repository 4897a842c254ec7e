package dev.infera.core.scheduling;

import java.util.concurrent.CompletableFuture;

/**
 * Queues the requests of one model version and runs them on its instances.
 *
 * <p>Threading: {@link #enqueue} is safe from any thread and never blocks, except that a caller
 * holding {@link CallerRuns}' permit may run its request's batch itself when the version is idle
 * and fast; its future is then complete when {@code enqueue} returns. Otherwise futures complete on
 * the scheduler's own threads. Cancelling a returned future withdraws the request if it has not
 * started executing.
 */
public interface Scheduler {

  /**
   * Queues a request. The future fails with an {@link dev.infera.spi.InferenceException}:
   * UNAVAILABLE when the queue is full or the scheduler stopped, DEADLINE_EXCEEDED when the
   * request's queue timeout passes, or the instance's error when execution fails.
   */
  CompletableFuture<ExecutionResult> enqueue(ScheduledRequest request);

  /** Requests accepted and not yet completed (queued plus executing). */
  int inflightCount();

  /**
   * Stops accepting requests; the future completes once every accepted request has completed and
   * the scheduler's threads have ended.
   */
  CompletableFuture<Void> stop();
}
