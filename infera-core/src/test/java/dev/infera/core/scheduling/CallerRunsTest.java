package dev.infera.core.scheduling;

import static dev.infera.core.scheduling.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A caller with {@link CallerRuns}' permit running its batch on an idle instance. The scheduler
 * runs its own threads; its ticker stands still unless a test moves it, so every batch "takes" no
 * time and the version counts as fast. Waits only on latches, futures and the scheduler's state.
 */
class CallerRunsTest {
  private static final String LABEL = "model 'tabular_mlp' version '1'";
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final String EXEC_THREAD = "infera-exec-tabular_mlp-1-0";

  private final RecordingInstance instance = new RecordingInstance();
  private final ExecutorService caller = Executors.newSingleThreadExecutor();
  private DynamicBatchScheduler scheduler;

  @AfterEach
  void stop() throws Exception {
    caller.shutdownNow();
    if (scheduler != null) {
      scheduler.stop().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
  }

  @Test
  void aPermittedCallerRunsTheBatchOfAnIdleFastVersionItself() throws Exception {
    startWarm(new FakeTicker());

    CompletableFuture<ExecutionResult> b = permitted("b");

    assertThat(b).isCompleted();
    assertThat(instance.threadNames()).last().isEqualTo(Thread.currentThread().getName());
    assertThat(scheduler.inflightCount()).isZero();
    awaitIdle(); // the instance is handed back, and its thread takes work again
    scheduler.enqueue(request("c")).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(instance.threadNames()).last().isEqualTo(EXEC_THREAD);
  }

  @Test
  void aPermittedRequestWhoseDeadlinePassedOnItsWayInIsAnsweredAtOnce() throws Exception {
    startWarm(new MovingTicker(1_000)); // a microsecond per reading: batches still seem fast

    CompletableFuture<ExecutionResult> late =
        CallerRuns.permitting(
            () -> scheduler.enqueue(Requests.with("late").timeout(Duration.ofNanos(1)).build()));

    assertThat(late)
        .failsWithin(PATIENCE)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(InferenceException.class)
        .matches(e -> ((InferenceException) e).code() == ErrorCode.DEADLINE_EXCEEDED);
    assertThat(scheduler.inflightCount()).isZero();
    assertThat(instance.executedBatches()).doesNotContain(List.of("late"));
    scheduler.enqueue(request("next")).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void withoutThePermitTheInstancesThreadRunsTheBatch() throws Exception {
    startWarm(new FakeTicker());

    scheduler.enqueue(request("b")).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(instance.threadNames()).containsOnly(EXEC_THREAD);
  }

  @Test
  void aVersionWhoseBatchesTakeLongIsLeftToItsThreads() throws Exception {
    MovingTicker ticker = new MovingTicker(InstanceClaims.MAX_BATCH_NANOS);
    startWarm(ticker);

    CompletableFuture<ExecutionResult> b = permitted("b");
    b.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(instance.threadNames()).containsOnly(EXEC_THREAD);
  }

  @Test
  void aVersionWhoseBatchesHoldSeveralRequestsIsLeftToItsThreads() throws Exception {
    startWarm(new FakeTicker());
    Hold hold = holdBatchOf("first");
    List<CompletableFuture<ExecutionResult>> load = new ArrayList<>();
    load.add(scheduler.enqueue(request("first")));
    hold.awaitRunning();
    for (int i = 0; i < 40; i++) { // queued behind "first": ten batches of four
      load.add(scheduler.enqueue(request("r" + i)));
    }
    hold.release().countDown();
    CompletableFuture.allOf(load.toArray(new CompletableFuture<?>[0]))
        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    awaitIdle();

    permitted("b").get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(instance.threadNames()).containsOnly(EXEC_THREAD);
  }

  @Test
  void requestsQueuedWhileCallersRunCloseTheWay() throws Exception {
    startWarm(new FakeTicker());
    String callerThread = callerThreadName();
    int callersRuns = 0;
    for (int i = 0; i < 20; i++) { // each caller's batch finds another request queued behind it
      String id = "caller" + i;
      Hold hold = holdBatchOf(id);
      CompletableFuture<CompletableFuture<ExecutionResult>> call =
          CompletableFuture.supplyAsync(() -> permitted(id), caller);
      hold.awaitRunning();
      boolean ranOnCaller =
          instance.threadNames().get(instance.threadNames().size() - 1).equals(callerThread);
      CompletableFuture<ExecutionResult> behind = scheduler.enqueue(request("behind" + i));
      hold.release().countDown();
      call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      behind.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      awaitIdle();
      if (!ranOnCaller) {
        break;
      }
      callersRuns++;
    }

    assertThat(callersRuns).as("callers' runs before the way closed").isBetween(1, 19);
  }

  @Test
  void aBusyInstanceQueuesThePermittedCallersRequest() throws Exception {
    startWarm(new FakeTicker());
    Hold hold = holdBatchOf("slow");
    CompletableFuture<ExecutionResult> slow = scheduler.enqueue(request("slow"));
    hold.awaitRunning();

    CompletableFuture<ExecutionResult> b = permitted("b");
    assertThat(b).isNotDone();
    hold.release().countDown();

    b.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(slow).isCompleted();
    assertThat(instance.threadNames()).containsOnly(EXEC_THREAD);
  }

  @Test
  void aClaimedInstanceRunsNothingElseAndStopWaitsForTheClaim() throws Exception {
    startWarm(new FakeTicker());
    Hold hold = holdBatchOf("claimed");
    CompletableFuture<CompletableFuture<ExecutionResult>> claimed =
        CompletableFuture.supplyAsync(() -> permitted("claimed"), caller);
    hold.awaitRunning();

    CompletableFuture<ExecutionResult> queued = scheduler.enqueue(request("queued"));
    CompletableFuture<Void> stopped = scheduler.stop();
    assertThat(queued).isNotDone();
    assertThat(stopped).isNotDone();
    hold.release().countDown();

    stopped.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(claimed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isCompleted();
    assertThat(queued).isCompleted();
    assertThat(instance.executedBatches()).endsWith(List.of("claimed"), List.of("queued"));
    assertThat(instance.threadNames()).endsWith(callerThreadName(), EXEC_THREAD);
    assertThat(instance.mostConcurrentExecutions()).isEqualTo(1);
    scheduler = null;
  }

  @Test
  void whatABatchsCompletionQueuesGoesToTheInstancesThreads() throws Exception {
    startWarm(new FakeTicker());
    AtomicReference<CompletableFuture<ExecutionResult>> next = new AtomicReference<>();

    CompletableFuture<ExecutionResult> b =
        CallerRuns.permitting(
            () ->
                scheduler
                    .enqueue(request("b"))
                    .whenComplete((result, failure) -> next.set(scheduler.enqueue(request("c")))));

    assertThat(b).isCompleted();
    next.get().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(instance.threadNames()).endsWith(Thread.currentThread().getName(), EXEC_THREAD);
  }

  /** Starts the scheduler and runs one batch on its thread, so that the version's pace is known. */
  private void startWarm(Ticker ticker) throws Exception {
    scheduler =
        DynamicBatchScheduler.start(
            LABEL, List.of(instance), BatchPolicy.dynamic(4), ticker, SchedulerListener.NONE);
    scheduler.enqueue(request("warm")).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    awaitIdle();
  }

  /** Holds the batch holding {@code id} in the instance until the test releases it. */
  private Hold holdBatchOf(String id) {
    Hold hold = new Hold(new CountDownLatch(1), new CountDownLatch(1));
    instance.duringExecute(
        batch -> {
          if (batch.contains(id)) {
            hold.running().countDown();
            awaitQuietly(hold.release());
          }
        });
    return hold;
  }

  /** Queues {@code id} with {@link CallerRuns}' permit. */
  private CompletableFuture<ExecutionResult> permitted(String id) {
    return CallerRuns.permitting(() -> scheduler.enqueue(request(id)));
  }

  private record Hold(CountDownLatch running, CountDownLatch release) {
    void awaitRunning() throws InterruptedException {
      assertThat(running.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
  }

  private String callerThreadName() throws Exception {
    return caller.submit(() -> Thread.currentThread().getName()).get();
  }

  private void awaitIdle() {
    awaitTrue(() -> scheduler.idleInstanceCount() == 1);
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited for the condition").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A ticker that moves by a fixed step at every read, so every batch seems to take that long. */
  private static final class MovingTicker implements Ticker {
    private final long step;
    private long nanos;

    MovingTicker(long step) {
      this.step = step;
    }

    @Override
    public synchronized long read() {
      nanos += step;
      return nanos;
    }
  }
}
