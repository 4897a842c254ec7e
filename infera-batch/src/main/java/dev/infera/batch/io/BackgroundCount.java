package dev.infera.batch.io;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * An input's rows ({@link Sources#countRows}) counted on a thread of its own, beside the job that
 * reads them. A count that fails says nothing: the job's own reading of the same file reports the
 * fault.
 */
public final class BackgroundCount {
  private final CompletableFuture<Void> done;
  private volatile boolean stopped;

  private BackgroundCount(InputFiles input, DuckDb duckDb, LongConsumer total) {
    done =
        CompletableFuture.runAsync(
            () -> {
              try {
                Sources.countRows(input, duckDb, () -> stopped).ifPresent(total);
              } catch (RuntimeException reportedByTheReading) {
                // the job's own reading of the same file says what is wrong
              }
            },
            ReadAhead.daemonThread("infera-batch-count"));
  }

  /** Starts counting; {@code total} is told the count once it is done (not if it is stopped). */
  public static BackgroundCount start(InputFiles input, DuckDb duckDb, LongConsumer total) {
    return new BackgroundCount(input, duckDb, total);
  }

  /**
   * Stops the count (between files, or within 64 KiB of text) and waits for it, not interruptibly:
   * the database must outlive it.
   */
  public void stop() {
    stopped = true;
    done.join();
  }
}
