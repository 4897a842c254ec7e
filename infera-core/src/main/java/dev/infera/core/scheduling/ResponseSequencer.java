package dev.infera.core.scheduling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Completes responses in arrival order ({@code preserve_ordering}): a completion for arrival number
 * n runs only after those for every earlier number ran. Every accepted request must submit exactly
 * one completion, even if it does nothing (a cancelled request's).
 *
 * <p>Thread-safe. Completions run outside the lock, one thread at a time, in order: whichever
 * thread finds the next ones ready runs them, including ones other threads submitted meanwhile.
 */
final class ResponseSequencer {
  private final Map<Long, Runnable> waiting = new HashMap<>();
  private long next;
  private boolean draining;

  void submit(long sequence, Runnable completion) {
    synchronized (this) {
      waiting.put(sequence, completion);
      if (draining) {
        return;
      }
      draining = true;
    }
    while (true) {
      List<Runnable> ready = new ArrayList<>();
      synchronized (this) {
        for (Runnable run = waiting.remove(next); run != null; run = waiting.remove(next)) {
          ready.add(run);
          next++;
        }
        if (ready.isEmpty()) {
          draining = false;
          return;
        }
      }
      ready.forEach(Runnable::run);
    }
  }
}
