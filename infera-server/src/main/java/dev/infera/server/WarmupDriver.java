package dev.infera.server;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm-up client thread's loop ({@link ServerWarmup}): what it sends ({@link Call}), how it keeps
 * requests in flight within its {@link WarmupSlots}, and what came back ({@link Tally}). Not
 * instantiated.
 */
final class WarmupDriver {
  // Under the warm-up's own logger name, as before this loop had a class of its own.
  private static final Logger LOG = LoggerFactory.getLogger(ServerWarmup.class);

  private WarmupDriver() {}

  /** One wire form of one model, sent until it fails once. */
  record Call(WarmupRequests requests, ServerWarmup.Protocol protocol) {
    String model() {
      return requests.model();
    }
  }

  /** The requests answered, by protocol and by model. Thread-safe. */
  static final class Tally {
    private final Map<ServerWarmup.Protocol, LongAdder> byProtocol =
        new EnumMap<>(ServerWarmup.Protocol.class);
    private final Map<String, LongAdder> byModel = new ConcurrentHashMap<>();

    Tally() {
      for (ServerWarmup.Protocol p : ServerWarmup.Protocol.values()) {
        byProtocol.put(p, new LongAdder());
      }
    }

    void answered(Call call) {
      byProtocol.get(call.protocol()).increment();
      byModel.computeIfAbsent(call.model(), m -> new LongAdder()).increment();
    }

    long total() {
      return byProtocol.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<ServerWarmup.Protocol, Long> byProtocol() {
      Map<ServerWarmup.Protocol, Long> counts = new EnumMap<>(ServerWarmup.Protocol.class);
      byProtocol.forEach((p, n) -> counts.put(p, n.sum()));
      return Map.copyOf(counts);
    }

    Map<String, Long> byModel() {
      Map<String, Long> counts = new HashMap<>();
      byModel.forEach((m, n) -> counts.put(m, n.sum()));
      return Map.copyOf(counts);
    }
  }

  /**
   * One client thread's loop: keeps up to {@value ServerWarmup#IN_FLIGHT} requests in flight (a
   * loaded machine makes each request's latency long; the rate comes from concurrency), each model
   * within its share of {@code slots} so that a slow model's requests cannot hold them all; the
   * models in turn, and each model's wire forms in turn. Returns once {@code stop} is set (or every
   * call failed) and its last requests ended.
   */
  static void drive(
      Function<Call, CompletableFuture<?>> send,
      List<Call> calls,
      int offset,
      WarmupSlots slots,
      Tally answered,
      Set<Call> failed,
      AtomicBoolean stop) {
    List<List<Call>> byModel =
        List.copyOf(
            calls.stream()
                .collect(
                    Collectors.groupingBy(Call::model, LinkedHashMap::new, Collectors.toList()))
                .values());
    int[] next = new int[byModel.size()];
    try {
      int refused = 0;
      long mark = slots.releases();
      for (int i = offset; !stop.get() && failed.size() < calls.size(); i++) {
        int m = i % byModel.size();
        Optional<Call> due = nextLive(byModel.get(m), next, m, failed);
        if (due.isEmpty()) {
          slots.retire(byModel.get(m).get(0).model()); // every call of it failed
          continue;
        }
        Call call = due.get();
        if (!slots.tryTake(call.model())) {
          // Every model at its share (or all slots taken): wait for one to come back.
          if (++refused >= byModel.size()) {
            slots.awaitReleaseAfter(mark, 100);
            refused = 0;
            mark = slots.releases();
          }
          continue;
        }
        next[m]++;
        refused = 0;
        mark = slots.releases();
        CompletableFuture<?> sent;
        try {
          sent = send.apply(call);
        } catch (RuntimeException e) {
          sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete(
            (ok, failure) -> {
              try {
                if (failure == null) {
                  answered.answered(call);
                } else if (!stop.get() && failed.add(call)) {
                  LOG.warn(
                      "warm-up: model '{}' over {} failed, not sent again: {}",
                      call.model(),
                      call.protocol().label,
                      failure instanceof CompletionException c && c.getCause() != null
                          ? c.getCause().getMessage()
                          : failure.getMessage());
                }
              } finally {
                // Last, so that once nothing is in flight every answer is counted.
                slots.release(call.model());
              }
            });
      }
      // Lets the last requests finish before the client factory closes (bounded by their timeout).
      slots.awaitIdle(ServerWarmup.REQUEST_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The model's call due next (from {@code next[m]} on), skipping those that failed. */
  private static Optional<Call> nextLive(List<Call> model, int[] next, int m, Set<Call> failed) {
    for (int k = 0; k < model.size(); k++) {
      Call call = model.get(next[m] % model.size());
      if (!failed.contains(call)) {
        return Optional.of(call);
      }
      next[m]++;
    }
    return Optional.empty();
  }
}
