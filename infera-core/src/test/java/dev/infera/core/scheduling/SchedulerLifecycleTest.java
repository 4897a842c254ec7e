package dev.infera.core.scheduling;

import static dev.infera.core.scheduling.Failures.failure;
import static dev.infera.core.scheduling.Requests.request;
import static dev.infera.core.scheduling.Requests.with;
import static dev.infera.core.scheduling.SchedulerHarness.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Cancellation, response order, stopping and execution failures. */
class SchedulerLifecycleTest {

  private static final BatchPolicy WAIT_10MS = BatchPolicy.dynamic(8).withMaxQueueDelay(ms(10));

  @Test
  void cancelledRequestLeavesTheQueueAndNeverRuns() {
    SchedulerHarness harness = new SchedulerHarness(WAIT_10MS);
    CompletableFuture<ExecutionResult> a = harness.enqueue(request("a"));
    harness.enqueue(request("b"));

    a.cancel(false);
    assertThat(harness.scheduler.queueDepth()).isEqualTo(1);
    harness.advance(ms(10));

    assertThat(harness.executedBatches()).containsExactly(List.of("b"));
    assertThat(harness.scheduler.inflightCount()).isZero();
    assertThat(harness.listener.cancelled).hasValue(1);
  }

  @Test
  void countsQueuedRequestsInFlightUntilTheyComplete() {
    SchedulerHarness harness = new SchedulerHarness(WAIT_10MS);
    harness.enqueue(request("a"));
    harness.enqueue(request("b"));
    assertThat(harness.scheduler.inflightCount()).isEqualTo(2);

    harness.advance(ms(10));

    assertThat(harness.scheduler.inflightCount()).isZero();
    assertThat(harness.listener.depths).containsExactly(1, 2, 0);
  }

  @Test
  void preserveOrderingCompletesResponsesInArrivalOrder() {
    BatchPolicy policy = BatchPolicy.dynamic(1).withPriorityLevels(2, 2).withPreserveOrdering(true);
    SchedulerHarness harness = new SchedulerHarness(policy);
    List<String> completed = new CopyOnWriteArrayList<>();

    List<CompletableFuture<ExecutionResult>> futures =
        harness.arrive(with("a").priority(2).build(), with("b").priority(1).build());
    futures.get(0).thenRun(() -> completed.add("a"));
    futures.get(1).thenRun(() -> completed.add("b"));
    harness.runDue();

    assertThat(harness.executedBatches()).containsExactly(List.of("b"), List.of("a"));
    assertThat(completed).containsExactly("a", "b");
  }

  @Test
  void withoutPreserveOrderingResponsesCompleteAsTheyExecute() {
    BatchPolicy policy = BatchPolicy.dynamic(1).withPriorityLevels(2, 2);
    SchedulerHarness harness = new SchedulerHarness(policy);
    List<String> completed = new CopyOnWriteArrayList<>();

    List<CompletableFuture<ExecutionResult>> futures =
        harness.arrive(with("a").priority(2).build(), with("b").priority(1).build());
    futures.get(0).thenRun(() -> completed.add("a"));
    futures.get(1).thenRun(() -> completed.add("b"));
    harness.runDue();

    assertThat(completed).containsExactly("b", "a");
  }

  @Test
  void preserveOrderingDoesNotWaitForACancelledRequest() {
    BatchPolicy policy = WAIT_10MS.withPreserveOrdering(true);
    SchedulerHarness harness = new SchedulerHarness(policy);
    CompletableFuture<ExecutionResult> a = harness.enqueue(request("a"));
    CompletableFuture<ExecutionResult> b = harness.enqueue(request("b"));

    a.cancel(false);
    harness.advance(ms(10));

    assertThat(b).isCompleted();
  }

  @Test
  void stopRunsEverythingAcceptedWithoutWaitingForTheDelay() {
    SchedulerHarness harness = new SchedulerHarness(WAIT_10MS);
    List<CompletableFuture<ExecutionResult>> futures = harness.arrive(request("a"), request("b"));

    CompletableFuture<Void> stopped = harness.scheduler.stop();
    assertThat(stopped).isNotDone();
    harness.runDue();

    assertThat(harness.executedBatches()).containsExactly(List.of("a", "b"));
    assertThat(futures).allSatisfy(future -> assertThat(future).isCompleted());
    assertThat(stopped).isCompleted();
  }

  @Test
  void stopRefusesNewRequests() {
    SchedulerHarness harness = new SchedulerHarness(WAIT_10MS);
    assertThat(harness.scheduler.stop()).isCompleted();

    CompletableFuture<ExecutionResult> late = harness.enqueue(request("a"));

    InferenceException failure = failure(late);
    assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(failure.getMessage())
        .isEqualTo("model 'm' version '1': not accepting requests: stopping");
  }

  @Test
  void executionFailureFailsOnlyThatBatch() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(1));
    InferenceException bad = InferenceException.invalidArgument("input 'X': NaN in row 0");
    harness.instance.failNext(bad);

    List<CompletableFuture<ExecutionResult>> futures = harness.arrive(request("a"), request("b"));
    harness.runDue();

    assertThat(failure(futures.get(0))).isSameAs(bad);
    assertThat(futures.get(1)).isCompleted();
    assertThat(harness.listener.failedBatches).hasValue(1);
  }

  @Test
  void everyRequestOfAFailedBatchFails() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(8));
    harness.instance.failNext(InferenceException.unavailable("device lost"));

    List<CompletableFuture<ExecutionResult>> futures = harness.arrive(request("a"), request("b"));
    harness.runDue();

    assertThat(futures)
        .allSatisfy(f -> assertThat(failure(f).getMessage()).isEqualTo("device lost"));
  }

  @Test
  void unexpectedExecutionErrorBecomesInternal() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(8));
    harness.instance.failNext(new IllegalStateException("session closed"));

    CompletableFuture<ExecutionResult> future = harness.enqueue(request("a"));

    InferenceException failure = failure(future);
    assertThat(failure.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(failure.getMessage())
        .isEqualTo("model 'm' version '1': execution failed: session closed");
  }
}
