package dev.infera.core.resilience;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of one model version, over a Resilience4j {@link CircuitBreaker} with a
 * count-based window. Only execution failures count against it ({@link #isExecutionFailure});
 * client errors, full queues, deadlines and cancellations neither open nor close it.
 *
 * <p>Thread-safe: Resilience4j's state machine is lock-free; the last failure is a volatile write.
 * Time comes from the injected {@link Clock}, so tests move it instead of sleeping.
 */
public final class VersionBreaker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VersionBreaker.class);

  /** Gauge: 1 for the state a version's breaker is in, 0 for the others; label {@code state}. */
  public static final String STATE_METRIC = "infera.circuit.breaker.state";

  /** Counter: requests refused at once because the breaker was open. */
  public static final String REJECTED_METRIC = "infera.circuit.breaker.rejected";

  private final String label;
  private final BreakerSettings settings;
  private final CircuitBreaker breaker;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter rejected;
  private volatile String lastFailure = "";

  /**
   * @param label the model version as messages name it ({@code model 'x' version '1'})
   * @param tags the version's metric tags ({@code model}, {@code version})
   */
  public VersionBreaker(
      String label, BreakerSettings settings, Clock clock, MeterRegistry registry, Tags tags) {
    this.label = label;
    this.settings = settings;
    this.registry = registry;
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .slidingWindow(
                settings.windowSize(),
                Math.min(settings.minimumCalls(), settings.windowSize()),
                SlidingWindowType.COUNT_BASED)
            .failureRateThreshold(settings.failureRatePercent())
            .waitDurationInOpenState(settings.waitInOpen())
            .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
            .writableStackTraceEnabled(false)
            .clock(clock)
            .build();
    this.breaker = CircuitBreaker.of(label, config);
    breaker
        .getEventPublisher()
        .onStateTransition(event -> logTransition(event.getStateTransition()));
    for (CircuitState state :
        List.of(CircuitState.CLOSED, CircuitState.OPEN, CircuitState.HALF_OPEN)) {
      Tags stateTags = tags.and("state", state.label());
      releaseExisting(STATE_METRIC, stateTags);
      meters.add(
          Gauge.builder(STATE_METRIC, this, b -> b.state() == state ? 1 : 0)
              .description("1 for the state the version's circuit breaker is in")
              .tags(stateTags)
              .register(registry));
    }
    releaseExisting(REJECTED_METRIC, tags);
    this.rejected =
        Counter.builder(REJECTED_METRIC)
            .description("Requests refused at once because the circuit breaker was open")
            .tags(tags)
            .register(registry);
    meters.add(rejected);
  }

  /**
   * A version reloaded in place builds its new breaker while the old one still serves: the new one
   * takes the version's meters over (the registry would otherwise keep the old gauges, bound to the
   * old breaker, and hand the new one the meters the old one removes when it closes).
   */
  private void releaseExisting(String name, Tags tags) {
    Meter existing = registry.find(name).tags(tags).meter();
    if (existing != null) {
      registry.remove(existing);
    }
  }

  /** Whether a failure is the backend failing to execute (INTERNAL), which counts as a failure. */
  public static boolean isExecutionFailure(Throwable failure) {
    return failure instanceof InferenceException e && e.code() == ErrorCode.INTERNAL;
  }

  /**
   * Lets one request through, or refuses it.
   *
   * @throws InferenceException UNAVAILABLE naming the version and why the breaker is open
   */
  public void acquire() {
    if (breaker.tryAcquirePermission()) {
      return;
    }
    rejected.increment();
    throw new InferenceException(ErrorCode.UNAVAILABLE, refusal());
  }

  /** Records the outcome of a request let through by {@link #acquire}: exactly once each. */
  public void record(Throwable failure, long durationNanos) {
    if (failure == null) {
      breaker.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
    } else if (isExecutionFailure(failure)) {
      lastFailure = failure.getMessage();
      breaker.onError(durationNanos, TimeUnit.NANOSECONDS, failure);
    } else {
      breaker.releasePermission();
    }
  }

  public CircuitState state() {
    return switch (breaker.getState()) {
      case CLOSED -> CircuitState.CLOSED;
      case HALF_OPEN -> CircuitState.HALF_OPEN;
      default -> CircuitState.OPEN;
    };
  }

  private String refusal() {
    String reason =
        state() == CircuitState.HALF_OPEN
            ? "its circuit breaker is half-open and already probing with "
                + settings.halfOpenCalls()
                + " request(s)"
            : "its circuit breaker is open after "
                + Math.round(breaker.getMetrics().getFailureRate())
                + "% of its recent executions failed; it retries "
                + settings.waitInOpen().toMillis()
                + " ms after opening";
    String last = lastFailure;
    return label
        + " is unavailable: "
        + reason
        + (last.isEmpty() ? "" : " (last error: " + last + ")");
  }

  private void logTransition(CircuitBreaker.StateTransition transition) {
    switch (transition.getToState()) {
      case OPEN ->
          LOG.warn(
              "{}: circuit breaker OPEN, refusing requests for {} ms; last error: {}",
              label,
              settings.waitInOpen().toMillis(),
              lastFailure);
      case HALF_OPEN -> LOG.info("{}: circuit breaker HALF_OPEN, probing", label);
      case CLOSED -> LOG.info("{}: circuit breaker CLOSED, the version recovered", label);
      default -> LOG.info("{}: circuit breaker {}", label, transition.getToState());
    }
  }

  /** Removes this breaker's meters, unless a newer breaker of the version has taken them over. */
  @Override
  public void close() {
    for (Meter meter : meters) {
      Meter registered =
          registry.find(meter.getId().getName()).tags(meter.getId().getTags()).meter();
      if (registered == meter) {
        registry.remove(meter);
      }
    }
  }
}
