package dev.infera.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.infera.core.scheduling.Scheduler;
import dev.infera.core.scheduling.Ticker;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's one response cache: Caffeine bounded by bytes (keys and outputs weighed together),
 * shared by every model version that enables {@code response_cache}. Each version's scheduler is
 * wrapped in a {@link CachingScheduler} with a generation of its own, so a reloaded version never
 * sees the entries of the load before it, and its entries are dropped when it stops.
 *
 * <p>Thread-safe. Caffeine's maintenance runs on the calling threads, never on the common pool.
 */
public final class ResponseCache {
  /** Counter: requests answered from the cache (Triton: nv_cache_num_hits_per_model). */
  public static final String HITS = "infera.cache.hits";

  /** Counter: cache lookups that found nothing (Triton: nv_cache_num_misses_per_model). */
  public static final String MISSES = "infera.cache.misses";

  /** Counter: entries evicted to make room (Triton: nv_cache_num_evictions). */
  public static final String EVICTIONS = "infera.cache.evictions";

  /** Gauge, bytes: what the cache holds now. */
  public static final String USED_BYTES = "infera.cache.used.bytes";

  /** Gauge: entries the cache holds now (Triton: nv_cache_num_entries). */
  public static final String ENTRIES = "infera.cache.entries";

  private static final int ENTRY_OVERHEAD_BYTES = 64;

  private final CacheSettings settings;
  private final Cache<CacheKey, List<Tensor>> entries;
  private final MeterRegistry registry;
  private final AtomicLong generations = new AtomicLong();

  public ResponseCache(CacheSettings settings, MeterRegistry registry) {
    this.settings = settings;
    this.registry = registry;
    Counter evictions =
        Counter.builder(EVICTIONS)
            .description("Response cache entries evicted to make room")
            .register(registry);
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(settings.sizeBytes())
            .weigher((CacheKey key, List<Tensor> outputs) -> weight(key, outputs))
            .executor(Runnable::run)
            .removalListener(
                (CacheKey key, List<Tensor> outputs, RemovalCause cause) -> {
                  if (cause.wasEvicted()) {
                    evictions.increment();
                  }
                })
            .build();
    Gauge.builder(
            USED_BYTES, entries, c -> c.policy().eviction().orElseThrow().weightedSize().orElse(0))
        .description("Bytes the response cache holds")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(ENTRIES, entries, Cache::estimatedSize)
        .description("Entries the response cache holds")
        .register(registry);
  }

  public CacheSettings settings() {
    return settings;
  }

  /**
   * Wraps a model version's scheduler so that its responses are cached.
   *
   * @param tags the version's metric tags ({@code model}, {@code version})
   */
  public CachingScheduler wrap(String model, String version, Tags tags, Scheduler scheduler) {
    return wrap(
        model, version, tags, scheduler, Ticker.system(), CachingScheduler.LookupListener.NONE);
  }

  /**
   * Wraps a model version's scheduler so that its responses are cached, telling {@code listener} of
   * every lookup as timed by {@code ticker}.
   */
  public CachingScheduler wrap(
      String model,
      String version,
      Tags tags,
      Scheduler scheduler,
      Ticker ticker,
      CachingScheduler.LookupListener listener) {
    return new CachingScheduler(
        this, generations.incrementAndGet(), model, version, tags, scheduler, ticker, listener);
  }

  List<Tensor> lookup(CacheKey key) {
    return entries.getIfPresent(key);
  }

  /** Stores compact copies of the outputs, so that no batch buffer stays reachable. */
  void store(CacheKey key, List<Tensor> outputs) {
    List<Tensor> copies = new ArrayList<>(outputs.size());
    for (Tensor output : outputs) {
      copies.add(compact(output));
    }
    entries.put(key, List.copyOf(copies));
  }

  /** Drops every entry of one version's load. */
  void invalidate(long generation) {
    entries.asMap().keySet().removeIf(key -> key.generation() == generation);
  }

  MeterRegistry registry() {
    return registry;
  }

  /** The bytes the cache holds now, after pending maintenance. */
  long usedBytes() {
    entries.cleanUp();
    return entries.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  private static int weight(CacheKey key, List<Tensor> outputs) {
    long bytes = ENTRY_OVERHEAD_BYTES + key.byteSize();
    for (Tensor output : outputs) {
      bytes +=
          ENTRY_OVERHEAD_BYTES
              + output.byteSize()
              + 4L * (output.dataType().isFixedSize() ? 0 : output.elementCount());
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  private static Tensor compact(Tensor output) {
    if (!output.dataType().isFixedSize()) {
      List<byte[]> elements = new ArrayList<>(output.elements().size());
      for (byte[] element : output.elements()) {
        elements.add(element.clone());
      }
      return Tensor.ofBytes(output.name(), output.shape(), elements);
    }
    ByteBuffer source = output.data();
    ByteBuffer copy = ByteBuffer.allocate(source.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    copy.put(source).flip();
    return Tensor.of(output.name(), output.dataType(), output.shape(), copy);
  }
}
