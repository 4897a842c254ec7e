package dev.infera.core.scheduling;

/**
 * A {@link Scheduler} that adds behaviour around another (a cache, a circuit breaker), so that
 * callers can look through a chain of them for the one they need.
 */
public interface DelegatingScheduler extends Scheduler {

  /** The scheduler this one hands its requests to. */
  Scheduler delegate();

  /** The requests in flight are the delegate's: a decorator holds none of its own. */
  @Override
  default int inflightCount() {
    return delegate().inflightCount();
  }
}
