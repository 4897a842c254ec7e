package dev.infera.core.scheduling;

import java.util.function.Supplier;

/**
 * Lets the thread that queues a request run its batch itself when the model version is idle and
 * fast, instead of handing it to the instance's thread and waiting for the answer to be handed
 * back: two thread switches less for a lone request, which is most of a small model's latency.
 *
 * <p>A front end permits it around its call into the engine ({@link #permitting}); {@link
 * DynamicBatchScheduler} takes the permit only when nothing is queued, an instance's thread is
 * waiting for work (that instance is claimed for the run) and the version's recent batches took
 * less than {@link InstanceClaims#MAX_BATCH_NANOS} each and it served mostly one request at a time
 * ({@link InstanceClaims#MAX_CONTENTION}), so an I/O event loop spends on it no more than on
 * decoding a small request. The permit covers one batch: what the thread queues after it in the
 * same call (an ensemble's next step, a shadow copy, a completion's follow-up) goes to the
 * instances' threads. Threads that did not ask never run a batch.
 */
public final class CallerRuns {
  private static final ThreadLocal<Boolean> PERMITTED = ThreadLocal.withInitial(() -> false);

  private CallerRuns() {}

  /** Runs {@code call} with the permit on the current thread, then restores what was there. */
  public static <T> T permitting(Supplier<T> call) {
    Boolean before = PERMITTED.get();
    PERMITTED.set(true);
    try {
      return call.get();
    } finally {
      PERMITTED.set(before);
    }
  }

  /** Whether the current thread may run a batch now. */
  static boolean permitted() {
    return PERMITTED.get();
  }

  /** Spends the current thread's permit: it runs one batch, no more, in a permitted call. */
  static void spend() {
    PERMITTED.set(false);
  }
}
