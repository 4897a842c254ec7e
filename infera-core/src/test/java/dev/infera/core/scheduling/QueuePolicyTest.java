package dev.infera.core.scheduling;

import static dev.infera.core.scheduling.Failures.failure;
import static dev.infera.core.scheduling.Requests.request;
import static dev.infera.core.scheduling.Requests.with;
import static dev.infera.core.scheduling.SchedulerHarness.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.scheduling.QueuePolicy.TimeoutAction;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class QueuePolicyTest {

  private static final BatchPolicy WAIT_100MS = BatchPolicy.dynamic(8).withMaxQueueDelay(ms(100));

  private static QueuePolicy timeout(Duration timeout, TimeoutAction action, boolean override) {
    return new QueuePolicy(0, action, timeout, override);
  }

  @Test
  void higherPriorityRequestsJoinTheBatchFirst() {
    BatchPolicy policy = BatchPolicy.dynamic(2).withMaxQueueDelay(ms(10)).withPriorityLevels(2, 2);
    SchedulerHarness harness = new SchedulerHarness(policy);

    harness.arrive(
        with("a").priority(2).build(),
        with("b").priority(2).build(),
        with("c").priority(1).build());
    harness.runDue();
    assertThat(harness.executedBatches()).containsExactly(List.of("c", "a"));

    harness.advance(ms(10));
    assertThat(harness.executedBatches()).last().isEqualTo(List.of("b"));
  }

  @Test
  void requestWithoutPriorityGoesToTheDefaultLevel() {
    BatchPolicy policy = BatchPolicy.dynamic(1).withPriorityLevels(3, 1);
    SchedulerHarness harness = new SchedulerHarness(policy);

    harness.arrive(with("a").priority(2).build(), with("b").priority(0).build());
    harness.runDue();

    assertThat(harness.executedBatches()).containsExactly(List.of("b"), List.of("a"));
  }

  @Test
  void rejectsARequestWhenItsLevelIsFull() {
    BatchPolicy policy =
        WAIT_100MS.withDefaultQueuePolicy(
            new QueuePolicy(2, TimeoutAction.REJECT, Duration.ZERO, false));
    SchedulerHarness harness = new SchedulerHarness(policy);
    harness.enqueue(request("a"));
    harness.enqueue(request("b"));

    CompletableFuture<ExecutionResult> third = harness.enqueue(request("c"));

    InferenceException failure = failure(third);
    assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(failure.getMessage()).isEqualTo("model 'm' version '1': queue is full (2 requests)");
    assertThat(harness.listener.queueFull).hasValue(1);
  }

  @Test
  void perLevelPolicyOverridesTheDefault() {
    BatchPolicy policy =
        WAIT_100MS
            .withPriorityLevels(2, 2)
            .withPriorityQueuePolicy(
                1, new QueuePolicy(1, TimeoutAction.REJECT, Duration.ZERO, false));
    SchedulerHarness harness = new SchedulerHarness(policy);
    harness.enqueue(with("a").priority(1).build());

    CompletableFuture<ExecutionResult> secondHigh = harness.enqueue(with("b").priority(1).build());
    CompletableFuture<ExecutionResult> low = harness.enqueue(with("c").priority(2).build());

    assertThat(failure(secondHigh).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(low).isNotDone();
  }

  @Test
  void rejectsBeyondTheOverallCapacityEvenWithoutALevelLimit() {
    SchedulerHarness harness = new SchedulerHarness(WAIT_100MS, 2);
    harness.enqueue(request("a"));
    harness.enqueue(request("b"));

    CompletableFuture<ExecutionResult> third = harness.enqueue(request("c"));

    assertThat(failure(third).getMessage())
        .isEqualTo("model 'm' version '1': queue is full (2 requests)");
  }

  @Test
  void rejectTimeoutFailsTheRequestWithDeadlineExceeded() {
    BatchPolicy policy =
        WAIT_100MS.withDefaultQueuePolicy(timeout(ms(3), TimeoutAction.REJECT, false));
    SchedulerHarness harness = new SchedulerHarness(policy);
    CompletableFuture<ExecutionResult> future = harness.enqueue(request("a"));

    harness.advance(ms(2));
    assertThat(future).isNotDone();
    harness.advance(ms(1));

    InferenceException failure = failure(future);
    assertThat(failure.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(failure.getMessage())
        .isEqualTo("model 'm' version '1': request timed out after waiting 3 ms in the queue");
    harness.advance(ms(100));
    assertThat(harness.executedBatches()).isEmpty();
    assertThat(harness.scheduler.inflightCount()).isZero();
  }

  @Test
  void delayTimeoutMovesTheRequestBehindTheOthers() {
    BatchPolicy policy =
        BatchPolicy.dynamic(1).withDefaultQueuePolicy(timeout(ms(2), TimeoutAction.DELAY, false));
    SchedulerHarness harness = new SchedulerHarness(policy);

    harness.arrive(request("a"));
    harness.ticker.advance(ms(2));
    List<CompletableFuture<ExecutionResult>> later = harness.arrive(request("b"), request("c"));
    harness.runDue();

    assertThat(harness.executedBatches()).containsExactly(List.of("b"), List.of("c"), List.of("a"));
    assertThat(later).allSatisfy(future -> assertThat(future).isCompleted());
  }

  @Test
  void delayedRequestStillGoesBeforeLowerPriorityLevels() {
    BatchPolicy policy =
        BatchPolicy.dynamic(1)
            .withPriorityLevels(2, 1)
            .withDefaultQueuePolicy(timeout(ms(2), TimeoutAction.DELAY, false));
    SchedulerHarness harness = new SchedulerHarness(policy);

    harness.arrive(with("a").priority(1).build());
    harness.ticker.advance(ms(2));
    harness.arrive(with("low").priority(2).build(), with("b").priority(1).build());
    harness.runDue();

    assertThat(harness.executedBatches())
        .containsExactly(List.of("b"), List.of("a"), List.of("low"));
  }

  @Test
  void requestTimeoutShortensTheDefaultWhenOverrideIsAllowed() {
    BatchPolicy policy =
        WAIT_100MS.withDefaultQueuePolicy(timeout(ms(10), TimeoutAction.REJECT, true));
    SchedulerHarness harness = new SchedulerHarness(policy);

    CompletableFuture<ExecutionResult> future = harness.enqueue(with("a").timeout(ms(2)).build());
    harness.advance(ms(2));

    assertThat(failure(future).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
  }

  @Test
  void requestTimeoutNeverExtendsTheDefault() {
    BatchPolicy policy =
        WAIT_100MS.withDefaultQueuePolicy(timeout(ms(5), TimeoutAction.REJECT, true));
    SchedulerHarness harness = new SchedulerHarness(policy);

    CompletableFuture<ExecutionResult> future = harness.enqueue(with("a").timeout(ms(50)).build());
    harness.advance(ms(5));

    assertThat(failure(future).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
  }

  @Test
  void requestTimeoutAppliesWhenTheLevelHasNoDefault() {
    SchedulerHarness harness = new SchedulerHarness(WAIT_100MS);

    CompletableFuture<ExecutionResult> future = harness.enqueue(with("a").timeout(ms(2)).build());
    harness.advance(ms(2));

    assertThat(failure(future).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(harness.listener.timedOut).hasValue(1);
  }
}
