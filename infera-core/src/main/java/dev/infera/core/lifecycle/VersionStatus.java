package dev.infera.core.lifecycle;

import dev.infera.core.resilience.CircuitState;
import java.util.Objects;

/**
 * The state of one model version at one moment, for the repository index and readiness answers.
 *
 * @param model the model's name
 * @param version the version, or empty text when the model failed before any version was known
 * @param state the state
 * @param reason why the version is not ready; empty when it is
 * @param circuit the state of the version's circuit breaker; DISABLED when it has none (the breaker
 *     is turned off, or the version is not serving)
 */
public record VersionStatus(
    String model, String version, ModelState state, String reason, CircuitState circuit) {
  public VersionStatus {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(circuit, "circuit");
  }

  /** A status without a circuit breaker state (DISABLED). */
  public VersionStatus(String model, String version, ModelState state, String reason) {
    this(model, version, state, reason, CircuitState.DISABLED);
  }
}
