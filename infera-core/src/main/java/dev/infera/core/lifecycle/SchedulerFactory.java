package dev.infera.core.lifecycle;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.metrics.VersionMetrics;
import dev.infera.spi.ModelInstance;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import java.util.Optional;

/**
 * Creates the scheduler of a model version from its completed configuration, with the state of the
 * breaker guarding it.
 */
@FunctionalInterface
public interface SchedulerFactory {

  /**
   * @param label the model and version, as messages and thread names use them
   * @param config the version's completed configuration
   * @param instances the version's instances; the scheduler runs them and closes none
   * @param metrics where the scheduler records executions
   */
  VersionScheduler create(
      String label, ModelConfig config, List<ModelInstance> instances, VersionMetrics metrics);

  /** The tracer the server records traced requests' spans with; empty when it does not trace. */
  default Optional<Tracer> tracer() {
    return Optional.empty();
  }
}
