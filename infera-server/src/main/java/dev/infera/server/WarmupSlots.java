package dev.infera.server;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One warm-up client's requests in flight: at most {@code total} in all and at most {@code
 * perModel} for any one model, so that a slow model (an image model's batch takes milliseconds)
 * cannot hold every slot while a fast one waits: with one semaphore for all, a server with resnet18
 * beside tabular_mlp answered 946 warm-up requests in 10 s, against 24,474 for tabular_mlp alone
 * (docs/benchmarks.md). A model that will send nothing more (every call of it failed) is retired
 * and its share goes to the others. Thread-safe: requests complete on other threads.
 */
final class WarmupSlots {
  private final int total;
  private final Set<String> retired = new HashSet<>();
  private int models;
  private int perModel;
  private final Map<String, Integer> inFlight = new HashMap<>();
  private int all;
  private long releases;

  /**
   * @param total the most requests in flight
   * @param models how many models share them; each may hold {@code ceil(total / models)}
   */
  WarmupSlots(int total, int models) {
    if (total < 1 || models < 1) {
      throw new IllegalArgumentException("total and models must be at least 1");
    }
    this.total = total;
    this.models = models;
    this.perModel = share(total, models);
  }

  private static int share(int total, int models) {
    return (total + models - 1) / models;
  }

  /**
   * Retires {@code model}, which will take no more slots: each model left may then hold {@code
   * ceil(total / models left)}. Retiring a model twice, or the last one, changes nothing.
   */
  synchronized void retire(String model) {
    if (models > 1 && retired.add(model)) {
      models--;
      perModel = share(total, models);
    }
  }

  /** Takes a slot for {@code model} if one is free for it; never waits. */
  synchronized boolean tryTake(String model) {
    int mine = inFlight.getOrDefault(model, 0);
    if (all >= total || mine >= perModel) {
      return false;
    }
    inFlight.put(model, mine + 1);
    all++;
    return true;
  }

  /** Gives back a slot {@link #tryTake} took for {@code model}. */
  synchronized void release(String model) {
    int mine = inFlight.getOrDefault(model, 0);
    if (mine <= 0) {
      throw new IllegalStateException("no slot of '" + model + "' is taken");
    }
    inFlight.put(model, mine - 1);
    all--;
    releases++;
    notifyAll();
  }

  /** How many slots were given back so far: the mark {@link #awaitReleaseAfter} waits past. */
  synchronized long releases() {
    return releases;
  }

  /**
   * Waits until a slot is given back after {@code mark} (a {@link #releases} reading), or at most
   * {@code millis}.
   */
  synchronized void awaitReleaseAfter(long mark, long millis) throws InterruptedException {
    awaitUntil(() -> releases != mark, millis);
  }

  /** Waits until nothing is in flight, at most {@code millis}; whether it is so. */
  synchronized boolean awaitIdle(long millis) throws InterruptedException {
    return awaitUntil(() -> all == 0, millis);
  }

  /** Waits, holding the monitor between checks, until {@code done} or {@code millis} passed. */
  private boolean awaitUntil(BooleanSupplier done, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!done.getAsBoolean()) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** Slots taken now, over all models. */
  synchronized int inFlight() {
    return all;
  }
}
