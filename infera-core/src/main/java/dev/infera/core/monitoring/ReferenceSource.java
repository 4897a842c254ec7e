package dev.infera.core.monitoring;

import java.util.Optional;

/** Finds the stored reference profile of a model version, if it has one. */
@FunctionalInterface
public interface ReferenceSource {
  /** No stored profiles: every version builds its reference from its first rows of traffic. */
  ReferenceSource NONE = (model, version) -> Optional.empty();

  /**
   * @return the profile's text; empty when the version has none
   * @throws java.io.UncheckedIOException when a profile exists but cannot be read
   */
  Optional<String> find(String model, String version);
}
