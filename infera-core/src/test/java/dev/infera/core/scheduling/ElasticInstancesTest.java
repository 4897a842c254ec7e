package dev.infera.core.scheduling;

import static dev.infera.core.scheduling.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Instances added to and retired from a running scheduler; waits only on latches and futures. */
class ElasticInstancesTest {
  private static final String LABEL = "model 'm' version '1'";
  private static final long PATIENCE_SECONDS = 10;

  private static DynamicBatchScheduler start(RecordingInstance first) {
    return DynamicBatchScheduler.start(
        LABEL, List.of(first), BatchPolicy.dynamic(1), Ticker.system(), SchedulerListener.NONE);
  }

  private static void runAll(DynamicBatchScheduler scheduler, int n, String prefix)
      throws Exception {
    List<CompletableFuture<ExecutionResult>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(scheduler.enqueue(request(prefix + i)));
    }
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
        .get(PATIENCE_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void anAddedInstanceTakesWorkOnItsOwnThread() throws Exception {
    RecordingInstance first = new RecordingInstance();
    RecordingInstance added = new RecordingInstance();
    CountDownLatch bothBusy = new CountDownLatch(2);
    first.duringExecute(batch -> awaitBoth(bothBusy));
    added.duringExecute(batch -> awaitBoth(bothBusy));
    DynamicBatchScheduler scheduler = start(first);

    scheduler.addInstance(added);
    runAll(scheduler, 20, "r");

    assertThat(scheduler.instanceCount()).isEqualTo(2);
    assertThat(added.executedBatches()).isNotEmpty();
    assertThat(added.threadNames()).allMatch(name -> name.equals("infera-exec-m-1-1"));
    assertThat(scheduler.queueWaits().started()).isEqualTo(20);
    assertThat(scheduler.queueWaits().busyNanos()).isPositive();
    scheduler.stop().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aRetiredInstanceFinishesItsBatchThenTakesNoMoreWork() throws Exception {
    RecordingInstance first = new RecordingInstance();
    RecordingInstance added = new RecordingInstance();
    CountDownLatch addedRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    added.duringExecute(
        batch -> {
          addedRunning.countDown();
          awaitQuietly(release);
        });
    first.duringExecute(batch -> awaitQuietly(release));
    DynamicBatchScheduler scheduler = start(first);
    scheduler.addInstance(added);
    CompletableFuture<ExecutionResult> a = scheduler.enqueue(request("a"));
    CompletableFuture<ExecutionResult> b = scheduler.enqueue(request("b"));
    assertThat(addedRunning.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> retired = scheduler.retireInstance(added);
    assertThat(scheduler.instanceCount()).isEqualTo(1);
    assertThat(retired).isNotDone(); // its batch is still running
    release.countDown();
    retired.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    CompletableFuture.allOf(a, b).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    int batchesOfAdded = added.executedBatches().size();
    runAll(scheduler, 10, "later");

    assertThat(added.executedBatches()).hasSize(batchesOfAdded);
    assertThat(first.executedBatches()).hasSizeGreaterThanOrEqualTo(10);
    scheduler.stop().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void theLastInstanceCannotRetireAndAStoppingSchedulerTakesNoNewOne() throws Exception {
    RecordingInstance first = new RecordingInstance();
    DynamicBatchScheduler scheduler = start(first);

    assertThatThrownBy(() -> scheduler.retireInstance(first))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("last instance");
    assertThatThrownBy(() -> scheduler.retireInstance(new RecordingInstance()))
        .isInstanceOf(IllegalArgumentException.class);
    scheduler.stop().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    assertThatThrownBy(() -> scheduler.addInstance(new RecordingInstance()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stopping");
  }

  @Test
  void stoppingEndsTheThreadsOfAddedInstancesToo() throws Exception {
    RecordingInstance first = new RecordingInstance();
    RecordingInstance added = new RecordingInstance();
    DynamicBatchScheduler scheduler = start(first);
    scheduler.addInstance(added);
    runAll(scheduler, 10, "r");

    scheduler.stop().get(PATIENCE_SECONDS, TimeUnit.SECONDS);

    assertThat(scheduler.inflightCount()).isZero();
  }

  private static void awaitBoth(CountDownLatch latch) {
    latch.countDown();
    try {
      latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
