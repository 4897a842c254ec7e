package dev.infera.core.cache;

import dev.infera.core.scheduling.DelegatingScheduler;
import dev.infera.core.scheduling.ExecutionResult;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.core.scheduling.Scheduler;
import dev.infera.core.scheduling.Ticker;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A model version's scheduler with the response cache in front: a request whose key is cached is
 * answered at once, without queueing or executing (its queue and compute times are zero); any other
 * goes to the underlying scheduler, and its outputs are cached once it succeeds. Failures are never
 * cached; the server's warm-up requests bypass the cache. Stopping drops the version's entries.
 *
 * <p>Thread-safe. The returned future of a miss is the underlying one, so cancelling it still
 * withdraws the request.
 */
public final class CachingScheduler implements DelegatingScheduler {
  private final ResponseCache cache;
  private final long generation;
  private final String model;
  private final String version;
  private final Scheduler delegate;
  private final Counter hits;
  private final Counter misses;
  private final Ticker ticker;
  private final LookupListener listener;
  private volatile boolean stopping;

  /**
   * Told of every lookup and how long it took, in nanoseconds. Called on the caller's thread of
   * {@link #enqueue}; must be fast and must not block.
   */
  public interface LookupListener {
    LookupListener NONE = (hit, nanos) -> {};

    void onLookup(boolean hit, long nanos);
  }

  CachingScheduler(
      ResponseCache cache,
      long generation,
      String model,
      String version,
      Tags tags,
      Scheduler delegate,
      Ticker ticker,
      LookupListener listener) {
    this.cache = cache;
    this.ticker = ticker;
    this.listener = listener;
    this.generation = generation;
    this.model = model;
    this.version = version;
    this.delegate = delegate;
    MeterRegistry registry = cache.registry();
    this.hits =
        Counter.builder(ResponseCache.HITS)
            .description("Requests answered from the response cache")
            .tags(tags)
            .register(registry);
    this.misses =
        Counter.builder(ResponseCache.MISSES)
            .description("Response cache lookups that found nothing")
            .tags(tags)
            .register(registry);
  }

  @Override
  public CompletableFuture<ExecutionResult> enqueue(ScheduledRequest request) {
    if (request.warmup()) { // synthetic inputs: neither answered from nor stored in the cache
      return delegate.enqueue(request);
    }
    long start = ticker.read();
    CacheKey key = CacheKey.of(generation, model, version, request);
    List<Tensor> cached = cache.lookup(key);
    listener.onLookup(cached != null, ticker.read() - start);
    if (cached != null) {
      hits.increment();
      return CompletableFuture.completedFuture(
          new ExecutionResult(cached, Duration.ZERO, Duration.ZERO, request.rows(), true));
    }
    misses.increment();
    CompletableFuture<ExecutionResult> future = delegate.enqueue(request);
    future.thenAccept(
        result -> {
          if (!stopping) {
            cache.store(key, result.outputs());
          }
        });
    return future;
  }

  @Override
  public Scheduler delegate() {
    return delegate;
  }

  @Override
  public CompletableFuture<Void> stop() {
    stopping = true;
    return delegate
        .stop()
        .whenComplete(
            (ignored, failure) -> {
              cache.invalidate(generation);
              cache.registry().remove(hits);
              cache.registry().remove(misses);
            });
  }
}
