package dev.infera.core.cache;

import dev.infera.core.scheduling.ExecutionResult;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.core.scheduling.Scheduler;
import dev.infera.spi.InferenceException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Answers each request at once with its first input renamed to its first output, or fails. */
final class EchoScheduler implements Scheduler {
  int executed;
  InferenceException failure;

  @Override
  public CompletableFuture<ExecutionResult> enqueue(ScheduledRequest request) {
    executed++;
    if (failure != null) {
      return CompletableFuture.failedFuture(failure);
    }
    return CompletableFuture.completedFuture(
        new ExecutionResult(
            List.of(request.inputs().get(0).withName(request.outputNames().get(0))),
            Duration.ofMillis(1),
            Duration.ofMillis(2),
            request.rows()));
  }

  @Override
  public int inflightCount() {
    return 0;
  }

  @Override
  public CompletableFuture<Void> stop() {
    return CompletableFuture.completedFuture(null);
  }
}
