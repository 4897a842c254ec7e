package dev.infera.core.monitoring;

import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;

/**
 * Builds a version's reference profile offline, from sample inputs ({@code infera profile build}),
 * with exactly the features, sketches and naming drift monitoring uses on live traffic, so that the
 * profile fits the version's features. Not thread-safe: one builder is fed by one thread.
 */
public final class ProfileBuilder {
  private final VersionMonitor monitor;

  /**
   * @param settings the drift settings whose feature rules apply (columns per tensor, features per
   *     version)
   */
  public ProfileBuilder(DriftSettings settings) {
    this.monitor =
        new VersionMonitor(
            "profile",
            "offline",
            settings.withReferenceRows(Long.MAX_VALUE),
            new MonitorMeters(new SimpleMeterRegistry()),
            Optional.empty(),
            Optional.empty());
  }

  /**
   * Adds rows of sample inputs.
   *
   * @param inputs one tensor per input, each with the batch dimension first (rows, then the input's
   *     own dimensions)
   */
  public void add(List<Tensor> inputs) {
    monitor.observe(0, true, inputs, List.of());
  }

  /** The profile of every row added: numeric features as quantiles, BYTES ones as categories. */
  public ReferenceProfile build() {
    return monitor.buildingProfile();
  }
}
