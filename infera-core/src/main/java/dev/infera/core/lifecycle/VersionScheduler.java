package dev.infera.core.lifecycle;

import dev.infera.core.resilience.CircuitState;
import dev.infera.core.scheduling.ElasticInstances;
import dev.infera.core.scheduling.Scheduler;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A version's scheduler as its factory built it, with the state of the circuit breaker guarding it
 * published beside it (rather than found by looking through the decorators).
 *
 * @param scheduler where the version's requests go, decorators included
 * @param circuit the breaker's state; always DISABLED for a version without one
 * @param elastic the scheduler behind the decorators, when its instances can change while it runs
 */
public record VersionScheduler(
    Scheduler scheduler, Supplier<CircuitState> circuit, Optional<ElasticInstances> elastic) {

  public VersionScheduler(Scheduler scheduler, Supplier<CircuitState> circuit) {
    this(scheduler, circuit, Optional.empty());
  }

  /** A scheduler without a circuit breaker. */
  public static VersionScheduler unguarded(Scheduler scheduler) {
    return new VersionScheduler(scheduler, () -> CircuitState.DISABLED);
  }

  /** The same, with the scheduler whose instances can change. */
  VersionScheduler withElastic(ElasticInstances instances) {
    return new VersionScheduler(scheduler, circuit, Optional.of(instances));
  }
}
