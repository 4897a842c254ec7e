package dev.infera.server;

import com.linecorp.armeria.common.util.AbstractListenable;
import com.linecorp.armeria.server.healthcheck.HealthChecker;
import com.linecorp.armeria.server.healthcheck.ListenableHealthChecker;
import java.util.function.BooleanSupplier;

/**
 * The server's readiness as a health checker, for the standard {@code grpc.health.v1.Health}
 * service: healthy exactly when {@code /v2/health/ready} answers 200. {@link #isHealthy} reads the
 * readiness at the moment it is asked (a {@code Check} is never stale); {@link #refresh} tells
 * {@code Watch} streams about a change, and the assembly calls it periodically and at each start-up
 * and shutdown step.
 *
 * <p>Thread-safe: the last value is read and written under this object's lock.
 */
final class ReadinessHealthChecker extends AbstractListenable<HealthChecker>
    implements ListenableHealthChecker {
  private final BooleanSupplier ready;
  private boolean last;

  ReadinessHealthChecker(BooleanSupplier ready) {
    this.ready = ready;
  }

  @Override
  public boolean isHealthy() {
    boolean now = ready.getAsBoolean();
    boolean changed;
    synchronized (this) {
      changed = now != last;
      last = now;
    }
    if (changed) {
      notifyListeners(this);
    }
    return now;
  }

  /** Reads the readiness and notifies the listeners when it changed since it was last read. */
  void refresh() {
    isHealthy();
  }

  @Override
  protected HealthChecker latestValue() {
    return this;
  }
}
