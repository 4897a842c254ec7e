package dev.infera.bench.load;

import dev.infera.bench.client.InferClient;
import dev.infera.bench.metrics.ServerCounters;
import dev.infera.bench.metrics.ServerSplit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs load steps against one prepared {@link InferClient}. Each step warms up, then measures for
 * its duration; the server's metrics, when given, are read at both ends of the window.
 *
 * <p>Threads: closed-loop slots send from the client's completion threads (no thread per slot);
 * open-loop requests leave from one named scheduling thread. The calling thread only waits.
 */
public final class LoadDriver {
  private final InferClient client;
  private final int batchSize;
  private final Duration warmup;
  private final Duration duration;
  private final Duration drainTimeout;
  private final Supplier<ServerCounters> metrics;

  /**
   * @param batchSize inferences per request, for throughput in inferences per second
   * @param metrics reads the server's counters; {@code null} when there is no metrics endpoint
   */
  public LoadDriver(
      InferClient client,
      int batchSize,
      Duration warmup,
      Duration duration,
      Duration drainTimeout,
      Supplier<ServerCounters> metrics) {
    this.client = client;
    this.batchSize = batchSize;
    this.warmup = warmup;
    this.duration = duration;
    this.drainTimeout = drainTimeout;
    this.metrics = metrics;
  }

  /**
   * Keeps {@code concurrency} requests outstanding for the whole step: the successes completed in
   * the window count, and the failures of requests sent in it, however late they end (one
   * unanswered after the drain as a failure).
   */
  public StepResult closedLoop(int concurrency) throws InterruptedException {
    Window window = newWindow();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch stopped = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      new Slot(window, running, stopped).next();
    }
    ServerSplit split = measure(window);
    running.set(false);
    stopped.await(drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
    window.unanswered(drainTimeout);
    return result("concurrency", concurrency, window, split);
  }

  /**
   * Sends {@code rate} requests per second on a fixed schedule whatever the server does; latency
   * counts from the scheduled time, and every request scheduled in the window counts, however late
   * it ends (one unanswered after the drain as a failure). A request that would exceed {@code
   * maxInFlight} outstanding ones is not sent and counts as a client error.
   */
  public StepResult openLoop(double rate, int maxInFlight) throws InterruptedException {
    Window window = newWindow();
    AtomicInteger inFlight = new AtomicInteger();
    double periodNanos = 1e9 / rate;
    long start = System.nanoTime();
    Thread scheduler =
        new Thread(
            () -> {
              for (long i = 0; ; i++) {
                long intended = start + (long) (i * periodNanos);
                if (intended > window.endNanos()) {
                  return;
                }
                sleepUntil(intended);
                if (inFlight.get() >= maxInFlight) {
                  window.fail(intended, "client over " + maxInFlight + " in flight");
                  continue;
                }
                inFlight.incrementAndGet();
                boolean mine = window.sent(intended);
                client
                    .send()
                    .thenAccept(
                        error -> {
                          window.completeScheduled(intended, mine, System.nanoTime(), error);
                          inFlight.decrementAndGet();
                        });
              }
            },
            "bench-rate");
    scheduler.setDaemon(true);
    scheduler.start();
    ServerSplit split = measure(window);
    scheduler.join();
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    window.unanswered(drainTimeout);
    return result("rate", rate, window, split);
  }

  private Window newWindow() {
    long start = System.nanoTime() + warmup.toNanos();
    return new Window(start, start + duration.toNanos());
  }

  /** Waits through the window, reading the server's counters at both ends. */
  private ServerSplit measure(Window window) {
    sleepUntil(window.startNanos());
    ServerCounters before = metrics == null ? null : metrics.get();
    sleepUntil(window.endNanos());
    ServerCounters after = metrics == null ? null : metrics.get();
    return before == null || after == null ? null : ServerSplit.between(before, after);
  }

  private StepResult result(String mode, double load, Window window, ServerSplit split) {
    return new StepResult(
        mode,
        load,
        (window.endNanos() - window.startNanos()) / 1e9,
        window.successes(),
        batchSize,
        window.latencies().snapshot(),
        window.errors().snapshot(),
        split);
  }

  private static void sleepUntil(long nanos) {
    for (long left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  /** One closed-loop slot: sends, waits for the answer, records it, sends again. */
  private final class Slot {
    private final Window window;
    private final AtomicBoolean running;
    private final CountDownLatch stopped;

    Slot(Window window, AtomicBoolean running, CountDownLatch stopped) {
      this.window = window;
      this.running = running;
      this.stopped = stopped;
    }

    /** Sends until a request is outstanding; loops instead of recursing on instant answers. */
    void next() {
      while (running.get()) {
        long sent = System.nanoTime();
        boolean mine = window.sent(sent);
        CompletableFuture<String> outcome = client.send();
        if (!outcome.isDone()) {
          outcome.thenAccept(
              error -> {
                window.complete(sent, mine, System.nanoTime(), error);
                next();
              });
          return;
        }
        window.complete(sent, mine, System.nanoTime(), outcome.join());
      }
      stopped.countDown();
    }
  }
}
