package dev.infera.core.scheduling;

import static dev.infera.core.scheduling.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler on its own threads with the system ticker; waits only on latches and futures. */
class DynamicBatchSchedulerThreadsTest {
  private static final String LABEL = "model 'tabular_mlp' version '1'";
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Test
  void runsRequestsOnNamedThreadsOneBatchAtATimePerInstance() throws Exception {
    RecordingInstance first = new RecordingInstance();
    RecordingInstance second = new RecordingInstance();
    DynamicBatchScheduler scheduler =
        DynamicBatchScheduler.start(
            LABEL,
            List.of(first, second),
            BatchPolicy.dynamic(4),
            Ticker.system(),
            SchedulerListener.NONE);

    List<CompletableFuture<ExecutionResult>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(scheduler.enqueue(request("r" + i)));
    }
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    scheduler.stop().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(first.threadNames()).allMatch(name -> name.equals("infera-exec-tabular_mlp-1-0"));
    assertThat(second.threadNames()).allMatch(name -> name.equals("infera-exec-tabular_mlp-1-1"));
    assertThat(first.mostConcurrentExecutions()).isLessThanOrEqualTo(1);
    assertThat(second.mostConcurrentExecutions()).isLessThanOrEqualTo(1);
    assertThat(scheduler.inflightCount()).isZero();
  }

  @Test
  void stopFinishesAcceptedRequestsBeforeCompleting() throws Exception {
    RecordingInstance instance = new RecordingInstance();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    instance.duringExecute(
        batch -> {
          if (batch.contains("a")) {
            started.countDown();
            awaitQuietly(release);
          }
        });
    BatchPolicy policy = BatchPolicy.dynamic(8).withMaxQueueDelay(Duration.ofHours(1));
    DynamicBatchScheduler scheduler =
        DynamicBatchScheduler.start(
            LABEL,
            List.of(instance),
            policy.withPreferredBatchSizes(List.of(1)),
            Ticker.system(),
            SchedulerListener.NONE);

    CompletableFuture<ExecutionResult> a = scheduler.enqueue(request("a"));
    assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    CompletableFuture<ExecutionResult> b = scheduler.enqueue(request("b"));
    CompletableFuture<Void> stopped = scheduler.stop();
    assertThat(stopped).isNotDone();
    release.countDown();

    stopped.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(a).isCompleted();
    assertThat(b).isCompleted();
    assertThat(instance.executedBatches()).containsExactly(List.of("a"), List.of("b"));
  }

  @Test
  void waitsForTheQueueDelayOnTheRealClock() throws Exception {
    RecordingInstance instance = new RecordingInstance();
    BatchPolicy policy = BatchPolicy.dynamic(8).withMaxQueueDelay(Duration.ofMillis(20));
    DynamicBatchScheduler scheduler =
        DynamicBatchScheduler.start(
            LABEL, List.of(instance), policy, Ticker.system(), SchedulerListener.NONE);

    ExecutionResult result =
        scheduler.enqueue(request("a")).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(result.queueTime()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
    scheduler.stop().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
