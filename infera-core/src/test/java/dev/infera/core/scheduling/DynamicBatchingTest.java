package dev.infera.core.scheduling;

import static dev.infera.core.scheduling.Failures.failure;
import static dev.infera.core.scheduling.Requests.floats;
import static dev.infera.core.scheduling.Requests.request;
import static dev.infera.core.scheduling.Requests.strings;
import static dev.infera.core.scheduling.Requests.with;
import static dev.infera.core.scheduling.SchedulerHarness.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DynamicBatchingTest {

  private static final BatchPolicy WAIT_5MS = BatchPolicy.dynamic(8).withMaxQueueDelay(ms(5));

  @Test
  void lonelyRequestRunsOnceMaxQueueDelayPassed() {
    SchedulerHarness harness = new SchedulerHarness(WAIT_5MS);

    harness.enqueue(request("a"));
    harness.advance(ms(4));
    assertThat(harness.executedBatches()).isEmpty();

    harness.advance(ms(1));
    assertThat(harness.executedBatches()).containsExactly(List.of("a"));
  }

  @Test
  void delayCountsFromTheOldestRequestOfTheBatch() {
    SchedulerHarness harness = new SchedulerHarness(WAIT_5MS);

    harness.enqueue(request("a"));
    harness.advance(ms(3));
    harness.enqueue(request("b"));
    harness.advance(ms(2));

    assertThat(harness.executedBatches()).containsExactly(List.of("a", "b"));
  }

  @Test
  void withoutQueueDelayRunsWhatIsQueuedAtOnce() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(8));

    harness.arrive(request("a"), request("b"));
    harness.runDue();

    assertThat(harness.executedBatches()).containsExactly(List.of("a", "b"));
  }

  @Test
  void cutsAtTheLargestPreferredSizeReachableWithoutWaiting() {
    BatchPolicy policy =
        BatchPolicy.dynamic(8).withPreferredBatchSizes(List.of(2, 4)).withMaxQueueDelay(ms(100));
    SchedulerHarness harness = new SchedulerHarness(policy);

    harness.arrive(request("a"), request("b"), request("c"), request("d"), request("e"));
    harness.runDue();
    assertThat(harness.executedBatches()).containsExactly(List.of("a", "b", "c", "d"));

    harness.advance(ms(100));
    assertThat(harness.executedBatches()).last().isEqualTo(List.of("e"));
  }

  @Test
  void runsAsSoonAsAPreferredSizeIsReached() {
    BatchPolicy policy =
        BatchPolicy.dynamic(8).withPreferredBatchSizes(List.of(2)).withMaxQueueDelay(ms(100));
    SchedulerHarness harness = new SchedulerHarness(policy);

    harness.enqueue(request("a"));
    harness.enqueue(request("b"));

    assertThat(harness.executedBatches()).containsExactly(List.of("a", "b"));
  }

  @Test
  void runsAsSoonAsTheBatchIsFull() {
    SchedulerHarness harness =
        new SchedulerHarness(BatchPolicy.dynamic(3).withMaxQueueDelay(ms(100)));

    harness.enqueue(request("a"));
    harness.enqueue(request("b"));
    assertThat(harness.executedBatches()).isEmpty();

    harness.enqueue(request("c"));
    assertThat(harness.executedBatches()).containsExactly(List.of("a", "b", "c"));
  }

  @Test
  void neverSplitsAMultiRowRequest() {
    SchedulerHarness harness =
        new SchedulerHarness(BatchPolicy.dynamic(4).withMaxQueueDelay(ms(10)));

    harness.arrive(with("a").rows(3).build(), with("b").rows(2).build());
    harness.runDue();
    assertThat(harness.executedBatches()).containsExactly(List.of("a", "a", "a"));

    harness.advance(ms(10));
    assertThat(harness.executedBatches()).last().isEqualTo(List.of("b", "b"));
  }

  @Test
  void neverMergesRequestsWhoseOtherDimensionsDiffer() {
    SchedulerHarness harness =
        new SchedulerHarness(BatchPolicy.dynamic(8).withMaxQueueDelay(ms(10)));

    harness.arrive(with("a").width(2).build(), with("b").width(3).build());
    harness.advance(ms(10));

    assertThat(harness.executedBatches()).containsExactly(List.of("a"), List.of("b"));
  }

  @Test
  void neverMergesRequestsAskingForDifferentOutputs() {
    SchedulerHarness harness =
        new SchedulerHarness(BatchPolicy.dynamic(8).withMaxQueueDelay(ms(10)));

    harness.arrive(with("a").outputs("Y").build(), with("b").outputs("ID_OUT", "Y").build());
    harness.advance(ms(10));

    assertThat(harness.executedBatches()).containsExactly(List.of("a"), List.of("b"));
  }

  @Test
  void mergesRequestsAskingForTheSameOutputsInAnotherOrder() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(8));

    List<CompletableFuture<ExecutionResult>> futures =
        harness.arrive(
            with("a").outputs("Y", "ID_OUT").build(), with("b").outputs("ID_OUT", "Y").build());
    harness.runDue();

    assertThat(harness.executedBatches()).containsExactly(List.of("a", "b"));
    assertThat(futures.get(0).join().outputs())
        .extracting(t -> t.name())
        .containsExactly("Y", "ID_OUT");
    assertThat(futures.get(1).join().outputs())
        .extracting(t -> t.name())
        .containsExactly("ID_OUT", "Y");
  }

  @Test
  void givesEachRequestItsOwnRowsOfTheOutputs() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(8));

    List<CompletableFuture<ExecutionResult>> futures =
        harness.arrive(with("a").value(1).build(), with("b").rows(2).value(10).build());
    harness.runDue();

    ExecutionResult a = futures.get(0).join();
    ExecutionResult b = futures.get(1).join();
    assertThat(strings(a.outputs().get(0))).containsExactly("a");
    assertThat(a.outputs().get(1).shape()).containsExactly(1, 2);
    assertThat(floats(a.outputs().get(1))).containsExactly(2, 2);
    assertThat(strings(b.outputs().get(0))).containsExactly("b", "b");
    assertThat(b.outputs().get(1).shape()).containsExactly(2, 2);
    assertThat(floats(b.outputs().get(1))).containsExactly(20, 20, 22, 22);
    assertThat(a.batchRows()).isEqualTo(3);
  }

  @Test
  void failsTheWholeBatchWhenAnOutputLacksRows() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(8));
    harness.instance.dropLastRowOfY();

    List<CompletableFuture<ExecutionResult>> futures = harness.arrive(request("a"), request("b"));
    harness.runDue();

    for (CompletableFuture<ExecutionResult> future : futures) {
      InferenceException failure = failure(future);
      assertThat(failure.code()).isEqualTo(ErrorCode.INTERNAL);
      assertThat(failure.getMessage())
          .isEqualTo(
              "model 'm' version '1': output 'Y' has batch dimension 1"
                  + " (expected 2, the rows of the batch)");
    }
  }

  @Test
  void aFailedBatchIsBisectedSoOnlyThePoisonedRequestFails() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(8));
    harness.instance.refuseRowsOf("c");

    List<CompletableFuture<ExecutionResult>> futures =
        harness.arrive(
            request("a"), request("b"), request("c"), with("d").rows(2).build(), request("e"));
    harness.runDue();

    assertThat(futures.get(0)).isCompleted();
    assertThat(futures.get(1)).isCompleted();
    assertThat(failure(futures.get(2)).getMessage())
        .isEqualTo(
            "model 'm' version '1': execution failed: row c holds a value the model"
                + " cannot take");
    assertThat(futures.get(3).join().outputs().get(1).shape()).containsExactly(2, 2);
    assertThat(futures.get(4)).isCompleted();
    assertThat(harness.executedBatches())
        .containsExactly(
            List.of("a", "b", "c", "d", "d", "e"),
            List.of("a", "b"),
            List.of("c", "d", "d", "e"),
            List.of("c"),
            List.of("d", "d", "e"));
  }

  @Test
  void aBatchFailingForEveryRequestAlikeIsNotRetried() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(8));
    harness.instance.failNext(InferenceException.unavailable("instance closed"));

    List<CompletableFuture<ExecutionResult>> futures = harness.arrive(request("a"), request("b"));
    harness.runDue();

    assertThat(futures)
        .allSatisfy(f -> assertThat(failure(f).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    assertThat(harness.executedBatches()).hasSize(1);
  }

  @Test
  void withBatchingDisabledEachRequestRunsAlone() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.disabled(8));

    harness.arrive(request("a"), request("b"), with("c").rows(2).build());
    harness.runDue();

    assertThat(harness.executedBatches())
        .containsExactly(List.of("a"), List.of("b"), List.of("c", "c"));
  }

  @Test
  void reportsQueueTimeComputeTimeAndBatchRows() {
    SchedulerHarness harness = new SchedulerHarness(WAIT_5MS);
    harness.instance.duringExecute(batch -> harness.ticker.advance(ms(2)));

    CompletableFuture<ExecutionResult> future = harness.enqueue(request("a"));
    harness.advance(ms(5));

    ExecutionResult result = future.join();
    assertThat(result.queueTime()).isEqualTo(ms(5));
    assertThat(result.computeTime()).isEqualTo(ms(2));
    assertThat(result.batchRows()).isEqualTo(1);
    assertThat(harness.listener.batches).containsExactly(List.of(1L, 1L, ms(2).toNanos()));
  }

  @Test
  void rejectsARequestWithMoreRowsThanMaxBatchSize() {
    SchedulerHarness harness = new SchedulerHarness(BatchPolicy.dynamic(2));

    CompletableFuture<ExecutionResult> future = harness.enqueue(with("a").rows(3).build());

    InferenceException failure = failure(future);
    assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(failure.getMessage())
        .isEqualTo(
            "model 'm' version '1': request has 3 rows (expected at most 2, max_batch_size)");
  }
}
