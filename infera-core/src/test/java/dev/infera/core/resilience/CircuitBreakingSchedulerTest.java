package dev.infera.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.scheduling.ExecutionResult;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CircuitBreakingSchedulerTest {
  private static final String LABEL = "model 'm' version '1'";
  private static final BreakerSettings SETTINGS =
      new BreakerSettings(true, 50f, 4, 4, Duration.ofSeconds(5), 1);
  private static final ScheduledRequest REQUEST =
      new ScheduledRequest(
          List.of(Tensor.of("X", DataType.FP32, new long[] {1, 1}, ByteBuffer.allocate(4))),
          List.of("Y"),
          1,
          0,
          Optional.empty());

  private final MutableClock clock = new MutableClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final StubScheduler stub = new StubScheduler();
  private final CircuitBreakingScheduler scheduler =
      new CircuitBreakingScheduler(
          stub,
          new VersionBreaker(
              LABEL, SETTINGS, clock, registry, Tags.of("model", "m", "version", "1")),
          System::nanoTime);

  private static InferenceException internal() {
    return new InferenceException(ErrorCode.INTERNAL, LABEL + ": execution failed: out of memory");
  }

  private void failTimes(int count, Throwable error) {
    for (int i = 0; i < count; i++) {
      scheduler.enqueue(REQUEST);
      stub.failLatest(error);
    }
  }

  private static InferenceException failureOf(CompletableFuture<ExecutionResult> future) {
    assertThat(future).isCompletedExceptionally();
    try {
      future.join();
    } catch (CompletionException e) {
      return (InferenceException) e.getCause();
    }
    throw new AssertionError("not failed");
  }

  @Test
  void repeatedExecutionFailuresOpenIt() {
    failTimes(4, internal());

    assertThat(scheduler.circuitState()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void openBreakerRefusesAtOnceNamingTheVersionAndTheReason() {
    failTimes(4, internal());

    InferenceException refused = failureOf(scheduler.enqueue(REQUEST));

    assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(refused.getMessage())
        .startsWith("model 'm' version '1' is unavailable: its circuit breaker is open")
        .contains("out of memory");
    assertThat(stub.pending).hasSize(4);
  }

  @Test
  void clientErrorsTimeoutsAndFullQueuesDoNotOpenIt() {
    failTimes(2, new InferenceException(ErrorCode.INVALID_ARGUMENT, "bad input"));
    failTimes(2, new InferenceException(ErrorCode.DEADLINE_EXCEEDED, "late"));
    failTimes(2, new InferenceException(ErrorCode.UNAVAILABLE, "queue is full"));

    assertThat(scheduler.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void halfOpensAfterTheWaitAndClosesWhenTheProbeSucceeds() {
    failTimes(4, internal());
    clock.advance(Duration.ofMillis(5001));

    CompletableFuture<ExecutionResult> probe = scheduler.enqueue(REQUEST);
    assertThat(scheduler.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
    stub.succeedLatest();

    assertThat(probe).isCompleted();
    assertThat(scheduler.circuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void failedProbeOpensItAgain() {
    failTimes(4, internal());
    clock.advance(Duration.ofMillis(5001));

    failTimes(1, internal());

    assertThat(scheduler.circuitState()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void staysOpenUntilTheWaitPasses() {
    failTimes(4, internal());
    clock.advance(Duration.ofSeconds(4));

    assertThat(failureOf(scheduler.enqueue(REQUEST)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void cancelledProbeLetsTheNextRequestProbe() {
    failTimes(4, internal());
    clock.advance(Duration.ofMillis(5001));
    scheduler.enqueue(REQUEST).cancel(false);

    scheduler.enqueue(REQUEST);

    assertThat(stub.pending).hasSize(6);
  }

  @Test
  void stateIsAGaugePerVersion() {
    failTimes(4, internal());

    assertThat(
            registry
                .get(VersionBreaker.STATE_METRIC)
                .tags("model", "m", "version", "1", "state", "open")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get(VersionBreaker.STATE_METRIC)
                .tags("model", "m", "version", "1", "state", "closed")
                .gauge()
                .value())
        .isZero();
  }

  @Test
  void refusalsAreCounted() {
    failTimes(4, internal());
    scheduler.enqueue(REQUEST);

    assertThat(registry.get(VersionBreaker.REJECTED_METRIC).counter().count()).isEqualTo(1.0);
  }

  @Test
  void stoppingRemovesItsMeters() {
    scheduler.stop().join();

    assertThat(registry.find(VersionBreaker.STATE_METRIC).meters()).isEmpty();
    assertThat(stub.stops).isEqualTo(1);
  }

  /**
   * A version reloaded in place: its new breaker is built while the old one still serves, then the
   * old one stops. The gauges follow the new breaker, and stay once the old one has stopped.
   */
  @Test
  void aReloadedVersionsMetersFollowItsNewBreakerAndOutliveTheOld() {
    failTimes(4, internal()); // the old breaker opens
    VersionBreaker reloaded =
        new VersionBreaker(LABEL, SETTINGS, clock, registry, Tags.of("model", "m", "version", "1"));

    scheduler.stop().join();

    assertThat(reloaded.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(
            registry
                .get(VersionBreaker.STATE_METRIC)
                .tags("model", "m", "version", "1", "state", "closed")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(registry.find(VersionBreaker.STATE_METRIC).meters()).hasSize(3);
    assertThat(registry.find(VersionBreaker.REJECTED_METRIC).counter()).isNotNull();
    reloaded.close();
    assertThat(registry.find(VersionBreaker.STATE_METRIC).meters()).isEmpty();
    assertThat(registry.find(VersionBreaker.REJECTED_METRIC).meters()).isEmpty();
  }
}
