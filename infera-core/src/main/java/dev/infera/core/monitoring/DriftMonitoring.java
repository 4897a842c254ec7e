package dev.infera.core.monitoring;

import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.metrics.MetricNames;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drift and data-quality monitoring of every served version whose model it is enabled for.
 *
 * <p>Threading: {@link #completed} and {@link #rejected} run on request threads and only offer an
 * observation (references to immutable tensors) to a bounded queue, dropping and counting it when
 * the queue is full. One thread, {@code infera-monitoring}, started by {@link #start} and stopped
 * by {@link #close}, owns every sketch: it folds observations in, rescores each version every
 * {@link DriftSettings#scoreInterval()}, and closes the monitors of versions no longer loaded.
 * Reports are immutable snapshots any thread may read.
 */
public final class DriftMonitoring implements InferenceObserver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DriftMonitoring.class);

  private final DriftSettings settings;
  private final LongSupplier nanoTime;
  private final ReferenceSource references;
  private final Predicate<String> enabled;
  private final Supplier<Set<String>> loaded;
  private final MonitorMeters meters;
  private final Counter dropped;
  private final BlockingQueue<Observation> queue;
  private final Map<String, VersionMonitor> monitors = new ConcurrentHashMap<>();
  private volatile Thread thread;
  private volatile boolean running;
  private long lastScore;

  private record Observation(
      String model,
      String version,
      boolean batched,
      List<Tensor> inputs,
      List<Tensor> outputs,
      boolean rejected) {}

  /**
   * @param settings the window, thresholds and bounds
   * @param registry where the drift and data-quality series go
   * @param nanoTime the clock the windows move by, in nanoseconds
   * @param references finds each version's stored profile
   * @param enabled which models are watched, by name
   * @param loaded the versions still loaded, as {@code model/version} keys; monitors of others are
   *     closed
   */
  public DriftMonitoring(
      DriftSettings settings,
      MeterRegistry registry,
      LongSupplier nanoTime,
      ReferenceSource references,
      Predicate<String> enabled,
      Supplier<Set<String>> loaded) {
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.references = references;
    this.enabled = enabled;
    this.loaded = loaded;
    this.meters = new MonitorMeters(registry);
    this.dropped =
        Counter.builder(MetricNames.MONITORING_DROPPED)
            .description("Observations drift monitoring dropped because its queue was full")
            .register(registry);
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
  }

  public static String key(String model, String version) {
    return model + "/" + version;
  }

  @Override
  public void completed(InferenceRequest request, InferenceResponse response, boolean batched) {
    if (!enabled.test(response.modelName())) {
      return;
    }
    offer(
        new Observation(
            response.modelName(),
            response.modelVersion(),
            batched,
            request.inputs(),
            response.outputs(),
            false));
  }

  @Override
  public void rejected(
      InferenceRequest request, String model, String version, InferenceException error) {
    if (enabled.test(model)) {
      offer(new Observation(model, version, false, List.of(), List.of(), true));
    }
  }

  private void offer(Observation observation) {
    if (!queue.offer(observation)) {
      dropped.increment();
    }
  }

  /** Starts the monitoring thread. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "infera-monitoring");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long interval = settings.scoreInterval().toNanos();
    lastScore = nanoTime.getAsLong();
    while (running) {
      try {
        Observation first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first != null) {
          process(first);
          processPending();
        }
        if (nanoTime.getAsLong() - lastScore >= interval) {
          scoreAll();
          lastScore = nanoTime.getAsLong();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("drift monitoring: {}", e.toString(), e);
      }
    }
  }

  /**
   * Folds every queued observation in, on the calling thread. The monitoring thread calls it; tests
   * call it directly when no thread was started.
   */
  public void processPending() {
    List<Observation> batch = new ArrayList<>();
    queue.drainTo(batch);
    for (Observation observation : batch) {
      process(observation);
    }
  }

  private void process(Observation observation) {
    VersionMonitor monitor =
        monitors.computeIfAbsent(
            key(observation.model(), observation.version()),
            k -> open(observation.model(), observation.version()));
    if (observation.rejected()) {
      monitor.rejected();
    } else {
      monitor.observe(
          nanoTime.getAsLong(), observation.batched(), observation.inputs(), observation.outputs());
    }
  }

  private VersionMonitor open(String model, String version) {
    Optional<ReferenceProfile> profile = Optional.empty();
    Optional<String> problem = Optional.empty();
    try {
      Optional<String> text = references.find(model, version);
      if (text.isPresent()) {
        profile = Optional.of(ReferenceProfile.fromJson(text.get()));
      }
    } catch (IllegalArgumentException | UncheckedIOException e) {
      problem = Optional.of(ReferenceProfile.FILE_NAME + ": " + e.getMessage());
    }
    if (problem.isPresent()) {
      LOG.warn(
          "model '{}' version {}: drift profile not used ({}); the reference is built from traffic",
          model,
          version,
          problem.get());
    }
    return new VersionMonitor(model, version, settings, meters, profile, problem);
  }

  /** Rescores every version and closes the monitors of versions no longer loaded. */
  public void scoreAll() {
    Set<String> live = loaded.get();
    long now = nanoTime.getAsLong();
    monitors
        .entrySet()
        .removeIf(
            entry -> {
              if (!live.contains(entry.getKey())) {
                meters.close(entry.getValue());
                return true;
              }
              entry.getValue().score(now);
              return false;
            });
  }

  /** The last report of one version; empty when it has seen no traffic or is not watched. */
  public Optional<DriftReport> report(String model, String version) {
    VersionMonitor monitor = monitors.get(key(model, version));
    return monitor == null ? Optional.empty() : Optional.of(monitor.report());
  }

  /** Whether drift monitoring watches this model. */
  public boolean watches(String model) {
    return enabled.test(model);
  }

  /** The settings in force. */
  public DriftSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    running = false;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    monitors.values().forEach(meters::close);
    monitors.clear();
  }
}
