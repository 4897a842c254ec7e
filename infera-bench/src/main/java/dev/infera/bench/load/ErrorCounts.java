package dev.infera.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failed requests counted by kind ({@code "http 503"}, {@code "grpc UNAVAILABLE"}...). */
public final class ErrorCounts {
  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

  public void add(String kind) {
    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** The counts so far, sorted by kind. */
  public Map<String, Long> snapshot() {
    Map<String, Long> result = new TreeMap<>();
    counts.forEach((kind, count) -> result.put(kind, count.sum()));
    return result;
  }
}
