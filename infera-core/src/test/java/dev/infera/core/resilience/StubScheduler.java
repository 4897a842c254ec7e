package dev.infera.core.resilience;

import dev.infera.core.scheduling.ExecutionResult;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.core.scheduling.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A scheduler whose requests complete when the test says so. */
final class StubScheduler implements Scheduler {
  final List<CompletableFuture<ExecutionResult>> pending = new ArrayList<>();
  int stops;

  @Override
  public CompletableFuture<ExecutionResult> enqueue(ScheduledRequest request) {
    CompletableFuture<ExecutionResult> future = new CompletableFuture<>();
    pending.add(future);
    return future;
  }

  /** Completes the latest request successfully. */
  void succeedLatest() {
    latest().complete(new ExecutionResult(List.of(), Duration.ZERO, Duration.ZERO, 1));
  }

  void failLatest(Throwable error) {
    latest().completeExceptionally(error);
  }

  CompletableFuture<ExecutionResult> latest() {
    return pending.get(pending.size() - 1);
  }

  @Override
  public int inflightCount() {
    return (int) pending.stream().filter(f -> !f.isDone()).count();
  }

  @Override
  public CompletableFuture<Void> stop() {
    stops++;
    return CompletableFuture.completedFuture(null);
  }
}
