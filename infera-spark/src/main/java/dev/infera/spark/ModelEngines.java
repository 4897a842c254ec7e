package dev.infera.spark;

import dev.infera.batch.LocalEngine;
import dev.infera.core.lifecycle.InstanceCount;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engines of this JVM, one per repository, model, version and instance count: the first task of
 * an executor that needs a model loads it, every later task (and every other partition on the
 * executor's cores) reuses it. Engines stay until the JVM exits (a shutdown hook unloads them).
 */
public final class ModelEngines {
  private static final Map<Key, LocalEngine> ENGINES = new ConcurrentHashMap<>();
  private static final Map<Key, AtomicInteger> LOADS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> ENGINES.values().forEach(LocalEngine::close), "infera-spark-unload"));
  }

  private ModelEngines() {}

  /**
   * Which engine.
   *
   * @param repository the model repository folder, as every executor sees it
   * @param model the model
   * @param version the version asked for; empty for the highest ready one
   * @param instances the instances per instance group; 0 for the configured count
   */
  public record Key(String repository, String model, String version, int instances)
      implements Serializable {
    private static final long serialVersionUID = 2L;

    /** A key for the configured instance count. */
    public Key(String repository, String model, String version) {
      this(repository, model, version, 0);
    }
  }

  /**
   * This JVM's engine for a model, loaded on first use (other threads asking meanwhile wait).
   *
   * @throws IllegalArgumentException when the model does not load (with the reason)
   */
  static LocalEngine get(Key key) {
    return ENGINES.computeIfAbsent(
        key,
        k -> {
          LOADS.computeIfAbsent(k, unused -> new AtomicInteger()).incrementAndGet();
          return LocalEngine.load(
              Path.of(k.repository()),
              k.model(),
              k.instances() > 0 ? InstanceCount.of(k.instances()) : InstanceCount.configured());
        });
  }

  /** How often this JVM loaded the model of a key (0 or 1, unless it failed to load). */
  public static int loads(Key key) {
    AtomicInteger count = LOADS.get(key);
    return count == null ? 0 : count.get();
  }
}
