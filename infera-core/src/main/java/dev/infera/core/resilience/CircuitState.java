package dev.infera.core.resilience;

import java.util.Locale;

/** The state of a model version's circuit breaker, as the repository index and metrics show it. */
public enum CircuitState {
  /** Requests flow; execution outcomes are counted. */
  CLOSED,
  /** Too many executions failed: requests are refused at once until the wait passes. */
  OPEN,
  /** The wait passed: a few requests probe whether the version recovered. */
  HALF_OPEN,
  /** The version has no circuit breaker ({@code circuit_breaker_enabled: false}). */
  DISABLED;

  /** The lower-case name metrics use as a label value. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
