package dev.infera.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of model loading and unloading: per-version state gauges and load, unload and warmup
 * timings and failures. Unlike {@link VersionMetrics} they outlive the version, so that a dashboard
 * still sees the loads and failures of a version that is gone.
 *
 * <p>Thread-safe: meters are Micrometer's; the state table is a concurrent map.
 */
public final class LifecycleMetrics {
  private final MeterRegistry registry;
  private final List<String> stateNames;
  private final Map<Key, String> states = new ConcurrentHashMap<>();
  private final Map<Key, List<Meter>> stateGauges = new ConcurrentHashMap<>();

  private record Key(String model, String version) {
    Tags tags() {
      return Tags.of(MetricNames.TAG_MODEL, model, MetricNames.TAG_VERSION, version);
    }
  }

  /**
   * @param stateNames every state a version can be in, each one series of {@link
   *     MetricNames#MODEL_STATE}
   */
  public LifecycleMetrics(MeterRegistry registry, List<String> stateNames) {
    this.registry = registry;
    this.stateNames = List.copyOf(stateNames);
  }

  /**
   * Sets the state of every version known now; versions absent from {@code current} lose their
   * state series.
   *
   * @param current model to (version to state name)
   */
  public void publishStates(Map<String, Map<String, String>> current) {
    Set<Key> seen = ConcurrentHashMap.newKeySet();
    current.forEach(
        (model, versions) ->
            versions.forEach(
                (version, state) -> {
                  Key key = new Key(model, version);
                  seen.add(key);
                  states.put(key, state);
                  stateGauges.computeIfAbsent(key, this::registerStateGauges);
                }));
    for (Key key : new ArrayList<>(stateGauges.keySet())) {
      if (!seen.contains(key)) {
        stateGauges.remove(key).forEach(registry::remove);
        states.remove(key);
      }
    }
  }

  private List<Meter> registerStateGauges(Key key) {
    List<Meter> gauges = new ArrayList<>();
    for (String state : stateNames) {
      gauges.add(
          Gauge.builder(MetricNames.MODEL_STATE, () -> state.equals(states.get(key)) ? 1 : 0)
              .description("1 for the state a model version is in, 0 for the others")
              .tags(key.tags().and(MetricNames.TAG_STATE, state))
              .register(registry));
    }
    return gauges;
  }

  /** A version loaded (and warmed up) successfully. */
  public void recordLoad(String model, String version, Duration took) {
    timer(MetricNames.MODEL_LOAD_DURATION, "Successful loads of a model version", model, version)
        .record(took);
  }

  /** A version failed to load or to warm up. */
  public void recordLoadFailure(String model, String version) {
    Counter.builder(MetricNames.MODEL_LOAD_FAILURE)
        .description("Loads of a model version that failed")
        .tags(new Key(model, version).tags())
        .register(registry)
        .increment();
  }

  /** A version was unloaded: drained and its resources freed. */
  public void recordUnload(String model, String version, Duration took) {
    timer(MetricNames.MODEL_UNLOAD_DURATION, "Unloads of a model version", model, version)
        .record(took);
  }

  /** A version's warmup ran. */
  public void recordWarmup(String model, String version, Duration took) {
    timer(MetricNames.MODEL_WARMUP_DURATION, "Warmup of a model version", model, version)
        .record(took);
  }

  private Timer timer(String name, String description, String model, String version) {
    return Timer.builder(name)
        .description(description)
        .tags(new Key(model, version).tags())
        .register(registry);
  }
}
