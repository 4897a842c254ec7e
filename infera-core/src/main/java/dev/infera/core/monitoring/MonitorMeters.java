package dev.infera.core.monitoring;

import dev.infera.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus series of drift monitoring (names in {@link MetricNames}, documented in
 * docs/metrics.md). Meters of a version are removed when its monitor closes. Used by the monitoring
 * thread only.
 */
final class MonitorMeters {
  private final MeterRegistry registry;
  private final Map<VersionMonitor, List<Meter>> meters = new HashMap<>();
  private final Map<String, Counter> counters = new HashMap<>();

  MonitorMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  private static Tags tags(VersionMonitor monitor) {
    return Tags.of(
        MetricNames.TAG_MODEL, monitor.model(), MetricNames.TAG_VERSION, monitor.version());
  }

  void register(VersionMonitor monitor, FeatureState feature) {
    Tags tags = tags(monitor).and(MetricNames.TAG_FEATURE, feature.name);
    List<Meter> owned = meters.computeIfAbsent(monitor, m -> new ArrayList<>());
    owned.add(
        Gauge.builder(MetricNames.FEATURE_DRIFT_SCORE, feature, f -> f.psi)
            .description("Drift of a feature against the version's reference, by method")
            .tags(tags.and(MetricNames.TAG_METHOD, "psi"))
            .register(registry));
    if (feature.kind == FeatureKind.NUMERIC) {
      owned.add(
          Gauge.builder(MetricNames.FEATURE_DRIFT_SCORE, feature, f -> f.ks)
              .description("Drift of a feature against the version's reference, by method")
              .tags(tags.and(MetricNames.TAG_METHOD, "ks"))
              .register(registry));
    }
    owned.add(
        Gauge.builder(MetricNames.FEATURE_DRIFT_DETECTED, feature, f -> f.drifted ? 1 : 0)
            .description("1 while the feature's primary drift score is above its threshold")
            .tags(tags)
            .register(registry));
  }

  void issue(VersionMonitor monitor, FeatureState feature, String issue) {
    String key = monitor.model() + '\0' + monitor.version() + '\0' + feature.name + '\0' + issue;
    Counter counter = counters.get(key);
    if (counter == null) {
      counter =
          Counter.builder(MetricNames.DATA_QUALITY_ISSUES)
              .description(
                  "Values with a data-quality issue: nan, inf, out_of_range, unknown_category")
              .tags(
                  tags(monitor)
                      .and(MetricNames.TAG_FEATURE, feature.name, MetricNames.TAG_ISSUE, issue))
              .register(registry);
      counters.put(key, counter);
      meters.computeIfAbsent(monitor, m -> new ArrayList<>()).add(counter);
    }
    counter.increment();
  }

  void rejected(VersionMonitor monitor) {
    String key = monitor.model() + '\0' + monitor.version() + "\0rejected";
    Counter counter = counters.get(key);
    if (counter == null) {
      counter =
          Counter.builder(MetricNames.DATA_QUALITY_REJECTED)
              .description("Requests refused before reaching the model (shape, datatype, values)")
              .tags(tags(monitor))
              .register(registry);
      counters.put(key, counter);
      meters.computeIfAbsent(monitor, m -> new ArrayList<>()).add(counter);
    }
    counter.increment();
  }

  void close(VersionMonitor monitor) {
    List<Meter> owned = meters.remove(monitor);
    if (owned != null) {
      owned.forEach(registry::remove);
    }
    String prefix = monitor.model() + '\0' + monitor.version() + '\0';
    counters.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
