package dev.infera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.server.ServerWarmup.Protocol;
import dev.infera.server.WarmupDriver.Call;
import dev.infera.server.WarmupDriver.Tally;
import dev.infera.server.grpc.proto.ModelInferRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class WarmupSlotsTest {
  @Test
  void eachModelHoldsAtMostItsShareAndAllModelsAtMostTheTotal() {
    WarmupSlots slots = new WarmupSlots(8, 3); // a share of ceil(8 / 3) = 3 each
    for (int i = 0; i < 3; i++) {
      assertThat(slots.tryTake("slow")).isTrue();
    }
    assertThat(slots.tryTake("slow")).isFalse();
    for (int i = 0; i < 3; i++) {
      assertThat(slots.tryTake("fast")).isTrue();
    }
    assertThat(slots.tryTake("third")).isTrue();
    assertThat(slots.tryTake("third")).isTrue();
    assertThat(slots.tryTake("third")).as("8 in flight: the total").isFalse();
    assertThat(slots.inFlight()).isEqualTo(8);

    slots.release("slow");
    assertThat(slots.tryTake("third")).isTrue();
    assertThat(slots.tryTake("slow")).isFalse();
    assertThatThrownBy(() -> new WarmupSlots(8, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRetiredModelsShareGoesToTheOthers() {
    WarmupSlots slots = new WarmupSlots(8, 3); // ceil(8 / 3) = 3 each
    for (int i = 0; i < 3; i++) {
      assertThat(slots.tryTake("fine")).isTrue();
    }
    assertThat(slots.tryTake("fine")).isFalse();
    slots.retire("broken");
    slots.retire("broken"); // twice: still one model fewer, ceil(8 / 2) = 4
    assertThat(slots.tryTake("fine")).isTrue();
    assertThat(slots.tryTake("fine")).isFalse();
    slots.retire("other");
    slots.retire("fine"); // the last one: nothing changes
    for (int i = 0; i < 4; i++) {
      assertThat(slots.tryTake("fine")).isTrue();
    }
    assertThat(slots.tryTake("fine")).as("the total").isFalse();
  }

  @Test
  void releasingASlotItDidNotTakeIsRefused() {
    WarmupSlots slots = new WarmupSlots(2, 1);
    assertThatThrownBy(() -> slots.release("m")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aWaiterWakesOnTheNextReleaseAndIdleWaitsForTheLast() throws Exception {
    WarmupSlots slots = new WarmupSlots(1, 1);
    assertThat(slots.tryTake("m")).isTrue();
    long mark = slots.releases();
    Thread releaser =
        new Thread(
            () -> {
              sleep(50);
              slots.release("m");
            });
    releaser.start();
    slots.awaitReleaseAfter(mark, 10_000);
    assertThat(slots.releases()).isEqualTo(mark + 1);
    assertThat(slots.awaitIdle(10_000)).isTrue();
    releaser.join();

    assertThat(slots.tryTake("m")).isTrue();
    assertThat(slots.awaitIdle(20)).as("one still in flight").isFalse();
  }

  /**
   * The defect this guards against: with one pool of slots cycling through the calls, a slow
   * model's requests held every slot and a fast model was sent about as few as the slow one.
   */
  @Test
  void aSlowModelDoesNotStarveAFastOne() throws Exception {
    List<Call> calls = calls(List.of("slow", "fast"), Protocol.values());
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger slowInFlight = new AtomicInteger();
    AtomicInteger slowMost = new AtomicInteger();
    Function<Call, CompletableFuture<?>> send =
        call -> {
          if (call.model().equals("fast")) {
            return CompletableFuture.supplyAsync(() -> "answer");
          }
          return answerAfter(timer, 20, slowInFlight, slowMost);
        };
    Tally tally = new Tally();
    AtomicBoolean stop = new AtomicBoolean();
    WarmupSlots slots = new WarmupSlots(ServerWarmup.IN_FLIGHT, 2);
    Thread client =
        new Thread(
            () ->
                WarmupDriver.drive(
                    send, calls, 0, slots, tally, ConcurrentHashMap.newKeySet(), stop));
    client.start();
    // Until the slow model has 40 answers (about 200 ms at 4 slots of 20 ms), however late the
    // thread starts.
    awaitUntil(() -> tally.byModel().getOrDefault("slow", 0L) >= 40);
    stop.set(true);
    client.join(15_000);
    timer.shutdown();

    assertThat(client.isAlive()).isFalse();
    assertThat(slots.inFlight()).as("the last requests ended before drive returned").isZero();
    long slow = tally.byModel().getOrDefault("slow", 0L);
    long fast = tally.byModel().getOrDefault("fast", 0L);
    assertThat(slowMost.get()).isLessThanOrEqualTo(ServerWarmup.IN_FLIGHT / 2);
    assertThat(slow).isGreaterThanOrEqualTo(40L);
    // Starved, the fast model would get a slot only as often as the slow one frees one (about as
    // many answers); not starved, it answers at its own pace. How much faster depends on the
    // machine (5x on a busy 2-core one, more on a quiet one), so the bound is the starved case's,
    // with margin.
    assertThat(fast).isGreaterThan(2 * slow);
    assertThat(tally.total()).isEqualTo(slow + fast);
    assertThat(tally.byProtocol().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(tally.total());
  }

  @Test
  void aModelThatFailsStopsBeingSentAndTheOthersGoOnWithItsSlots() throws Exception {
    List<Call> calls = calls(List.of("broken", "fine"), Protocol.REST_JSON);
    AtomicInteger brokenSent = new AtomicInteger();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger fineInFlight = new AtomicInteger();
    AtomicInteger fineMost = new AtomicInteger();
    Function<Call, CompletableFuture<?>> send =
        call -> {
          if (call.model().equals("broken")) {
            brokenSent.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("HTTP 500"));
          }
          return answerAfter(timer, 5, fineInFlight, fineMost);
        };
    Tally tally = new Tally();
    Set<Call> failed = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    Thread client =
        new Thread(
            () -> WarmupDriver.drive(send, calls, 0, new WarmupSlots(8, 2), tally, failed, stop));
    client.start();
    awaitUntil(() -> !failed.isEmpty() && tally.byModel().getOrDefault("fine", 0L) > 40);
    stop.set(true);
    client.join(15_000);
    timer.shutdown();

    assertThat(failed).extracting(Call::model).containsExactly("broken");
    assertThat(brokenSent.get()).isEqualTo(1);
    assertThat(tally.byModel()).containsOnlyKeys("fine");
    assertThat(tally.byModel().get("fine")).isGreaterThan(40L);
    assertThat(fineMost.get())
        .as("more than its share of 2 models: the broken one's too")
        .isEqualTo(8);
  }

  /**
   * An answer after {@code millis}, counted in {@code inFlight} meanwhile (its peak in {@code
   * most}).
   */
  private static CompletableFuture<?> answerAfter(
      ScheduledExecutorService timer, long millis, AtomicInteger inFlight, AtomicInteger most) {
    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    CompletableFuture<Object> answer = new CompletableFuture<>();
    timer.schedule(
        () -> {
          inFlight.decrementAndGet();
          answer.complete("answer");
        },
        millis,
        TimeUnit.MILLISECONDS);
    return answer;
  }

  /** Each model's calls over {@code protocols}, with empty synthetic requests. */
  private static List<Call> calls(List<String> models, Protocol... protocols) {
    List<Call> calls = new ArrayList<>();
    for (String model : models) {
      WarmupRequests requests =
          new WarmupRequests(
              model, new byte[0], new byte[0], 0, ModelInferRequest.getDefaultInstance());
      for (Protocol protocol : protocols) {
        calls.add(new Call(requests, protocol));
      }
    }
    return calls;
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      sleep(5);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
