package dev.infera.server.it;

import dev.infera.server.InferaServer;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.it.ProtocolClient.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients inferring on {@link SwapModel} without pause, half over REST, half over gRPC, each on its
 * own thread, until stopped. Records every failure and, for every success, which version answered
 * with which file's outputs.
 */
final class TrafficLoad implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final List<ProtocolClient> clients = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final List<Expectation> expectations = new CopyOnWriteArrayList<>();

  private record Expectation(String answer, CompletableFuture<Void> seen) {}

  /** How an answer is written: {@code version:KIND}. */
  static String answer(String version, SwapModel.Kind kind) {
    return version + ":" + kind;
  }

  static TrafficLoad start(InferaServer server, int clientCount) {
    return start(server, clientCount, SwapModel.NAME);
  }

  /**
   * Clients inferring on {@code model}, which takes {@link SwapModel}'s inputs and answers its
   * outputs (the model itself, or an ensemble over it).
   */
  static TrafficLoad start(InferaServer server, int clientCount, String model) {
    TrafficLoad load = new TrafficLoad();
    for (int i = 0; i < clientCount; i++) {
      ProtocolClient client =
          i % 2 == 0
              ? new RestClient(server.httpPort(), false)
              : new GrpcClient(server.grpcPort(), false);
      load.clients.add(client);
      Thread thread = new Thread(() -> load.run(client, model), "it-client-" + i);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  private void run(ProtocolClient client, String model) {
    Call call = Call.of(model, SwapModel.inputs());
    while (running.get()) {
      Reply reply;
      try {
        reply = client.infer(call);
      } catch (RuntimeException e) {
        failures.add("client error: " + e);
        continue;
      }
      if (reply.outcome() != Outcome.OK) {
        failures.add(reply.outcome() + ": " + reply.message());
        continue;
      }
      String answer = answer(reply.modelVersion(), SwapModel.kindOf(reply));
      answers.computeIfAbsent(answer, key -> new LongAdder()).increment();
      for (Expectation expectation : expectations) {
        if (expectation.answer().equals(answer)) {
          expectation.seen().complete(null);
        }
      }
    }
  }

  /**
   * Completes when a client receives the given answer after this call, or fails after the timeout.
   */
  CompletableFuture<Void> expect(String version, SwapModel.Kind kind) {
    CompletableFuture<Void> seen = new CompletableFuture<>();
    expectations.add(new Expectation(answer(version, kind), seen));
    return seen.orTimeout(60, TimeUnit.SECONDS);
  }

  /** Stops the clients and waits for their threads. */
  @Override
  public void close() {
    if (!running.getAndSet(false)) {
      return;
    }
    for (Thread thread : threads) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    clients.forEach(ProtocolClient::close);
  }

  /** Answers by {@code version:KIND}, with their counts. */
  Map<String, Long> answers() {
    Map<String, Long> counts = new TreeMap<>();
    answers.forEach((answer, count) -> counts.put(answer, count.sum()));
    return counts;
  }

  long total() {
    return answers.values().stream().mapToLong(LongAdder::sum).sum();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  Set<String> seenAnswers() {
    return answers.keySet();
  }
}
