package dev.infera.core.scheduling;

import static dev.infera.core.scheduling.Failures.failure;
import static dev.infera.core.scheduling.Requests.with;
import static dev.infera.core.scheduling.SchedulerHarness.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.scheduling.QueuePolicy.TimeoutAction;
import dev.infera.spi.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A request's timeout is its caller's deadline: always honoured, whatever the queue policy. */
class CallerDeadlineTest {
  private static final BatchPolicy WAIT_100MS = BatchPolicy.dynamic(8).withMaxQueueDelay(ms(100));

  private static BatchPolicy withDefault(Duration timeout, TimeoutAction action) {
    return WAIT_100MS.withDefaultQueuePolicy(new QueuePolicy(0, action, timeout, false));
  }

  @Test
  void deadlineAppliesWhenTheLevelForbidsOverride() {
    SchedulerHarness harness = new SchedulerHarness(withDefault(ms(10), TimeoutAction.REJECT));

    CompletableFuture<ExecutionResult> future = harness.enqueue(with("a").timeout(ms(2)).build());
    harness.advance(ms(2));

    assertThat(failure(future).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(failure(future).getMessage())
        .isEqualTo(
            "model 'm' version '1': the request's deadline (2 ms) passed before it could execute");
  }

  @Test
  void deadlineRejectsWhereTheLevelWouldDelay() {
    SchedulerHarness harness = new SchedulerHarness(withDefault(ms(10), TimeoutAction.DELAY));

    CompletableFuture<ExecutionResult> future = harness.enqueue(with("a").timeout(ms(3)).build());
    harness.advance(ms(3));

    assertThat(failure(future).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
  }

  @Test
  void delayedRequestIsStillRejectedAtItsDeadline() {
    SchedulerHarness harness = new SchedulerHarness(withDefault(ms(2), TimeoutAction.DELAY));

    CompletableFuture<ExecutionResult> future = harness.enqueue(with("a").timeout(ms(5)).build());
    harness.advance(ms(2));
    assertThat(future).isNotDone();
    harness.advance(ms(3));

    assertThat(failure(future).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(harness.scheduler.inflightCount()).isZero();
  }

  @Test
  void expiredRequestIsDroppedBeforeExecution() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(8));

    List<CompletableFuture<ExecutionResult>> futures =
        harness.arrive(with("late").timeout(ms(2)).build(), with("on-time").build());
    harness.ticker.advance(ms(3));
    harness.runDue();

    assertThat(failure(futures.get(0)).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(harness.executedBatches()).containsExactly(List.of("on-time"));
  }

  @Test
  void requestWithinItsDeadlineExecutes() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(8));

    CompletableFuture<ExecutionResult> future = harness.enqueue(with("a").timeout(ms(50)).build());

    assertThat(future).isCompleted();
    assertThat(harness.executedBatches()).containsExactly(List.of("a"));
  }
}
