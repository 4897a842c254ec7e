package dev.infera.core.scheduling;

import static dev.infera.core.scheduling.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.scheduling.QueuePolicy.TimeoutAction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The waits the queue asks for, which the scheduler's threads sleep on. */
class BatchQueueTest {

  private static QueuedRequest queued(long enqueueNanos, long timeoutNanos) {
    return new QueuedRequest(
        request("a"), enqueueNanos, timeoutNanos, TimeoutAction.REJECT, 0, 0, true, r -> {});
  }

  @Test
  void emptyQueueWaitsForASignal() {
    BatchQueue queue = new BatchQueue(BatchPolicy.dynamic(8), 10);

    assertThat(queue.poll(0, false).waitsForSignal()).isTrue();
  }

  @Test
  void waitsUntilTheOldestRequestsDelayPasses() {
    BatchPolicy policy = BatchPolicy.dynamic(8).withMaxQueueDelay(Duration.ofNanos(1_000));
    BatchQueue queue = new BatchQueue(policy, 10);
    queue.offer(queued(100, 0));

    BatchQueue.Poll poll = queue.poll(400, false);

    assertThat(poll.hasBatch()).isFalse();
    assertThat(poll.waitNanos()).isEqualTo(700);
  }

  @Test
  void waitsNoLongerThanTheNextTimeout() {
    BatchPolicy policy = BatchPolicy.dynamic(8).withMaxQueueDelay(Duration.ofNanos(1_000));
    BatchQueue queue = new BatchQueue(policy, 10);
    queue.offer(queued(100, 300));

    assertThat(queue.poll(200, false).waitNanos()).isEqualTo(200);
  }
}
