package dev.infera.core.autoscale;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelInstanceGroup;
import dev.infera.core.config.proto.ModelParameter;
import dev.infera.core.lifecycle.ModelManager;
import dev.infera.core.lifecycle.ServingVersion;
import dev.infera.core.metrics.MetricNames;
import dev.infera.core.scheduling.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one {@link DesiredReplicasPolicy} per model: reads each model's meters every sample interval
 * and publishes {@code infera_model_desired_replicas{model}} and, for the whole server, {@code
 * infera_desired_replicas} (the largest: every replica serves every model).
 *
 * <p>Threading: {@link #sample()} runs on the owner's single named thread (or the test's); gauges
 * read a concurrent map.
 */
public final class AutoscaleSignals implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoscaleSignals.class);

  private final ModelManager manager;
  private final MeterRegistry registry;
  private final AutoscaleSettings settings;
  private final Ticker ticker;
  private final Map<String, DesiredReplicasPolicy> policies = new HashMap<>();
  private final Map<String, Double> desired = new ConcurrentHashMap<>();
  private final Set<String> gauged = new HashSet<>();
  private ScheduledExecutorService thread;

  public AutoscaleSignals(
      ModelManager manager, MeterRegistry registry, AutoscaleSettings settings, Ticker ticker) {
    this.manager = manager;
    this.registry = registry;
    this.settings = settings;
    this.ticker = ticker;
    Gauge.builder(MetricNames.DESIRED_REPLICAS, desired, AutoscaleSignals::largest)
        .description("Replicas of this server its load needs at the p99 latency target")
        .register(registry);
  }

  /** Starts sampling on a thread of its own. */
  public synchronized void start() {
    long millis = settings.sampleInterval().toMillis();
    thread =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "infera-autoscale-signals");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(this::sampleQuietly, 0, millis, TimeUnit.MILLISECONDS);
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      LOG.warn("autoscale signals: sampling failed; retrying at the next sample", e);
    }
  }

  /** Reads every model's meters once and updates the gauges. */
  public synchronized void sample() {
    long now = ticker.read();
    Set<String> models = new HashSet<>();
    for (Counter counter : registry.find(MetricNames.EXECUTION_COUNT).counters()) {
      models.add(counter.getId().getTag(MetricNames.TAG_MODEL));
    }
    for (String model : models) {
      int instances = 0;
      Duration target = settings.targetP99();
      for (ServingVersion version : manager.readyVersions(model)) {
        instances += instanceCount(version.config());
        target = targetOf(version.config(), target);
      }
      if (instances == 0) {
        continue;
      }
      LoadSample sample =
          new LoadSample(
              now,
              sum(MetricNames.REQUEST_SUCCESS, model, Counter::count)
                  + sum(MetricNames.REQUEST_FAILURE, model, Counter::count),
              sum(MetricNames.EXECUTION_COUNT, model, Counter::count),
              sum(MetricNames.EXECUTION_BUSY, model, Counter::count),
              instances);
      Duration modelTarget = target;
      DesiredReplicasPolicy policy =
          policies.computeIfAbsent(
              model, name -> new DesiredReplicasPolicy(settings.withTargetP99(modelTarget)));
      desired.put(model, policy.update(sample));
      gauge(model);
    }
    for (String gone : Set.copyOf(policies.keySet())) {
      if (!models.contains(gone)) {
        policies.remove(gone);
        desired.remove(gone);
      }
    }
  }

  /** The latest desired replicas of one model (0 when unknown). */
  public double desired(String model) {
    return desired.getOrDefault(model, 0.0);
  }

  /** The latest desired replicas of the server. */
  public double desired() {
    return largest(desired);
  }

  private void gauge(String model) {
    if (gauged.add(model)) {
      Gauge.builder(
              MetricNames.MODEL_DESIRED_REPLICAS, desired, map -> map.getOrDefault(model, 0.0))
          .description("Replicas of this server one model's load needs at its p99 target")
          .tag(MetricNames.TAG_MODEL, model)
          .register(registry);
    }
  }

  private double sum(String name, String model, ToDoubleFunction<Counter> value) {
    double total = 0;
    for (Counter counter :
        Search.in(registry).name(name).tag(MetricNames.TAG_MODEL, model).counters()) {
      total += value.applyAsDouble(counter);
    }
    return total;
  }

  private static double largest(Map<String, Double> desired) {
    return desired.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }

  /** Execution slots of a version: the instance groups' counts, as the loader creates them. */
  static int instanceCount(ModelConfig config) {
    int count = 0;
    for (ModelInstanceGroup group : config.getInstanceGroupList()) {
      count += Math.max(1, group.getCount());
    }
    return Math.max(1, count);
  }

  /** The model's own target ({@code autoscale_target_p99_ms} parameter), or the server's. */
  static Duration targetOf(ModelConfig config, Duration fallback) {
    ModelParameter parameter = config.getParametersMap().get(AutoscaleSettings.TARGET_PARAMETER);
    if (parameter == null) {
      return fallback;
    }
    try {
      long millis = Long.parseLong(parameter.getStringValue().trim());
      return millis > 0 ? Duration.ofMillis(millis) : fallback;
    } catch (NumberFormatException e) {
      LOG.warn(
          "model '{}': parameter {} '{}' is not a number of milliseconds; using {} ms",
          config.getName(),
          AutoscaleSettings.TARGET_PARAMETER,
          parameter.getStringValue(),
          fallback.toMillis());
      return fallback;
    }
  }

  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
