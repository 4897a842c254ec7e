package dev.infera.bench.inprocess;

import dev.infera.bench.load.LatencyRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Calls one piece of work from N named threads back to back, through a warm-up and a window. */
final class CallLoop {

  /** One call of the model; may throw. */
  interface Call {
    void run() throws Exception;
  }

  private CallLoop() {}

  static InProcessResult run(
      String engine, int batchSize, int threads, Duration warmup, Duration duration, Call call)
      throws InterruptedException {
    long start = System.nanoTime() + warmup.toNanos();
    long end = start + duration.toNanos();
    LatencyRecorder latencies = new LatencyRecorder();
    LongAdder calls = new LongAdder();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (long now = System.nanoTime(); now < end; ) {
                    call.run();
                    long done = System.nanoTime();
                    if (done >= start && done <= end) {
                      calls.increment();
                      latencies.record(done - now);
                    }
                    now = done;
                  }
                } catch (Exception e) {
                  failure.compareAndSet(null, e);
                }
              },
              "bench-" + engine + "-" + t);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          engine + " failed at batch size " + batchSize + ": " + failure.get().getMessage(),
          failure.get());
    }
    return new InProcessResult(
        engine, batchSize, threads, duration.toNanos() / 1e9, calls.sum(), latencies.snapshot());
  }
}
