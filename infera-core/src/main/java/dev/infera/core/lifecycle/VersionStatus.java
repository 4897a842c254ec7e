package dev.infera.core.lifecycle;

import java.util.Objects;

/**
 * The state of one model version at one moment, for the repository index and readiness answers.
 *
 * @param model the model's name
 * @param version the version, or empty text when the model failed before any version was known
 * @param state the state
 * @param reason why the version is not ready; empty when it is
 */
public record VersionStatus(String model, String version, ModelState state, String reason) {
  public VersionStatus {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
  }
}
