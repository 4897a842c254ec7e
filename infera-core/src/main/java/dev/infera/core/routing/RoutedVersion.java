package dev.infera.core.routing;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.contract.ModelInterface;
import dev.infera.core.contract.RequestValidator;
import dev.infera.core.metrics.VersionMetrics;
import dev.infera.core.resilience.CircuitState;
import dev.infera.core.scheduling.Scheduler;
import java.util.List;
import java.util.Map;

/**
 * One loaded model version as routing and the engine see it: what it accepts, where its requests
 * queue, where its meters are, and a lease that keeps it from stopping while a routed request is
 * being queued. The lifecycle implements it and publishes its versions in a {@link RoutingTable}.
 *
 * <p>Thread-safe: every method may be called by any thread.
 */
public interface RoutedVersion {
  String model();

  long version();

  /** Whether the version serves requests now (READY). */
  boolean isReady();

  /**
   * Whether every model the version calls has a ready version: always for a model; for an ensemble,
   * whether each step's model does. Readiness probes report a model ready only when both hold.
   */
  default boolean dependenciesReady() {
    return true;
  }

  /** The version's completed configuration. */
  ModelConfig config();

  /**
   * The class labels of the outputs that have a {@code label_filename}, by output name; label
   * {@code i} names class {@code i}. Empty when none has.
   */
  default Map<String, List<String>> outputLabels() {
    return Map.of();
  }

  ModelInterface contract();

  RequestValidator validator();

  Scheduler scheduler();

  VersionMetrics metrics();

  /** The state of the version's circuit breaker, DISABLED when it has none. */
  CircuitState circuitState();

  /**
   * Takes a lease for one request; false once the version is retiring (the caller routes again).
   */
  boolean tryAcquire();

  /** Returns a lease taken by {@link #tryAcquire}; call exactly once per lease. */
  void release();

  /** How messages name a version: {@code model 'x' version '1'}. */
  static String label(String model, long version) {
    return "model '" + model + "' version '" + version + "'";
  }
}
