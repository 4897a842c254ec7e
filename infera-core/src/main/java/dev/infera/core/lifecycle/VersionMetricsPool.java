package dev.infera.core.lifecycle;

import dev.infera.core.metrics.VersionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands out one {@link VersionMetrics} per model version number. While a version is replaced by a
 * reload of the same number, old and new are both alive and share the meters (their counts
 * continue); the meters leave the registry when the last holder releases them.
 *
 * <p>Thread-safe: guarded by this object's lock.
 */
final class VersionMetricsPool {
  private final MeterRegistry registry;
  private final Map<List<String>, Lease> leases = new HashMap<>();

  private static final class Lease {
    final VersionMetrics metrics;
    int holders;

    Lease(VersionMetrics metrics) {
      this.metrics = metrics;
    }
  }

  VersionMetricsPool(MeterRegistry registry) {
    this.registry = registry;
  }

  synchronized VersionMetrics acquire(String model, String version) {
    Lease lease =
        leases.computeIfAbsent(
            List.of(model, version),
            key -> new Lease(new VersionMetrics(registry, model, version)));
    lease.holders++;
    return lease.metrics;
  }

  synchronized void release(String model, String version) {
    List<String> key = List.of(model, version);
    Lease lease = leases.get(key);
    if (lease != null && --lease.holders == 0) {
      leases.remove(key);
      lease.metrics.close();
    }
  }
}
