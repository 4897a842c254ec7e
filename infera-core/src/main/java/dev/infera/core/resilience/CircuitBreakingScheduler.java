package dev.infera.core.resilience;

import dev.infera.core.scheduling.DelegatingScheduler;
import dev.infera.core.scheduling.ExecutionResult;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.core.scheduling.Scheduler;
import dev.infera.core.scheduling.Ticker;
import dev.infera.spi.InferenceException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A {@link Scheduler} guarded by a version's {@link VersionBreaker}: while the breaker is open,
 * {@link #enqueue} fails at once with UNAVAILABLE; otherwise the request goes to the underlying
 * scheduler and its outcome is recorded. The returned future is the underlying one, so cancelling
 * it still withdraws the request.
 *
 * <p>Thread-safe as the underlying scheduler and the breaker are.
 */
public final class CircuitBreakingScheduler implements DelegatingScheduler {
  private final Scheduler delegate;
  private final VersionBreaker breaker;
  private final Ticker ticker;

  public CircuitBreakingScheduler(Scheduler delegate, VersionBreaker breaker, Ticker ticker) {
    this.delegate = delegate;
    this.breaker = breaker;
    this.ticker = ticker;
  }

  @Override
  public CompletableFuture<ExecutionResult> enqueue(ScheduledRequest request) {
    try {
      breaker.acquire();
    } catch (InferenceException refused) {
      return CompletableFuture.failedFuture(refused);
    }
    long start = ticker.read();
    CompletableFuture<ExecutionResult> future = delegate.enqueue(request);
    future.whenComplete(
        (result, failure) -> breaker.record(unwrap(failure), ticker.read() - start));
    return future;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The breaker's state, for the repository index. */
  public CircuitState circuitState() {
    return breaker.state();
  }

  @Override
  public Scheduler delegate() {
    return delegate;
  }

  @Override
  public CompletableFuture<Void> stop() {
    return delegate.stop().whenComplete((ignored, failure) -> breaker.close());
  }
}
