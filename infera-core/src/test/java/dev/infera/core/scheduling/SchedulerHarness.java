package dev.infera.core.scheduling;

import dev.infera.core.tracing.VersionTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scheduler without threads, one recording instance and a fake ticker. {@link #enqueue} and
 * {@link #advance} then run whatever became due, as the scheduler's threads would at once; {@link
 * #arrive} queues requests without running anything, as when every instance is busy.
 */
final class SchedulerHarness {
  static final String LABEL = "model 'm' version '1'";

  final FakeTicker ticker = new FakeTicker();
  final RecordingInstance instance = new RecordingInstance();
  final RecordingListener listener = new RecordingListener();
  final DynamicBatchScheduler scheduler;

  SchedulerHarness(BatchPolicy policy) {
    this(policy, DynamicBatchScheduler.DEFAULT_QUEUE_CAPACITY);
  }

  SchedulerHarness(BatchPolicy policy, int queueCapacity) {
    this(policy, queueCapacity, VersionTracer.OFF);
  }

  /** A harness whose scheduler records traced executions with {@code tracer}. */
  SchedulerHarness(BatchPolicy policy, VersionTracer tracer) {
    this(policy, DynamicBatchScheduler.DEFAULT_QUEUE_CAPACITY, tracer);
  }

  private SchedulerHarness(BatchPolicy policy, int queueCapacity, VersionTracer tracer) {
    this.scheduler =
        DynamicBatchScheduler.manual(
            LABEL, List.of(instance), policy, ticker, listener, queueCapacity, tracer);
  }

  CompletableFuture<ExecutionResult> enqueue(ScheduledRequest request) {
    CompletableFuture<ExecutionResult> future = scheduler.enqueue(request);
    scheduler.runDue();
    return future;
  }

  /** Queues the requests without running anything; call {@link #runDue} to run them. */
  List<CompletableFuture<ExecutionResult>> arrive(ScheduledRequest... requests) {
    List<CompletableFuture<ExecutionResult>> futures = new ArrayList<>();
    for (ScheduledRequest request : requests) {
      futures.add(scheduler.enqueue(request));
    }
    return futures;
  }

  void runDue() {
    scheduler.runDue();
  }

  void advance(Duration duration) {
    ticker.advance(duration);
    scheduler.runDue();
  }

  List<List<String>> executedBatches() {
    return instance.executedBatches();
  }

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** Counts what the scheduler reported. */
  static final class RecordingListener implements SchedulerListener {
    final List<Integer> depths = new ArrayList<>();
    final List<List<Long>> batches = new ArrayList<>();
    final AtomicInteger failedBatches = new AtomicInteger();
    final AtomicInteger queueFull = new AtomicInteger();
    final AtomicInteger timedOut = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();

    @Override
    public synchronized void onQueueDepthChanged(int depth) {
      depths.add(depth);
    }

    @Override
    public synchronized void onBatchExecuted(int requests, int rows, long computeNanos) {
      batches.add(List.of((long) requests, (long) rows, computeNanos));
    }

    @Override
    public void onBatchFailed(int requests, int rows, long computeNanos) {
      failedBatches.incrementAndGet();
    }

    @Override
    public void onQueueFull() {
      queueFull.incrementAndGet();
    }

    @Override
    public void onRequestTimedOut() {
      timedOut.incrementAndGet();
    }

    @Override
    public void onRequestCancelled() {
      cancelled.incrementAndGet();
    }
  }
}
