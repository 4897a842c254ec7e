package dev.infera.server.observability;

import dev.infera.core.monitoring.DriftSettings;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the server watches beyond its metrics.
 *
 * @param drift drift and data-quality monitoring settings; empty when it is off
 * @param driftModels the models drift monitoring watches; {@code *} for every model
 */
public record ObservabilityOptions(Optional<DriftSettings> drift, Set<String> driftModels) {
  public static final ObservabilityOptions NONE =
      new ObservabilityOptions(Optional.empty(), Set.of());

  public ObservabilityOptions {
    Objects.requireNonNull(drift, "drift");
    driftModels = Set.copyOf(driftModels);
  }

  /** Whether drift monitoring watches a model. */
  public boolean watches(String model) {
    return drift.isPresent() && (driftModels.contains("*") || driftModels.contains(model));
  }
}
