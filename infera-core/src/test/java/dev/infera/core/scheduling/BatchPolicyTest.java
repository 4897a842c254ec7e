package dev.infera.core.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.scheduling.QueuePolicy.TimeoutAction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchPolicyTest {

  @Test
  void listsEveryProblemAtOnce() {
    assertThatThrownBy(
            () ->
                new BatchPolicy(
                    true,
                    4,
                    List.of(8),
                    Duration.ofMillis(-1),
                    false,
                    2,
                    3,
                    QueuePolicy.DEFAULT,
                    Map.of(5, QueuePolicy.DEFAULT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "batch policy: preferred_batch_size 8 (expected 1..4, max_batch_size);"
                + " max_queue_delay PT-0.001S (expected a duration >= 0);"
                + " default_priority_level 3 (expected 1..2);"
                + " priority_queue_policy for level 5 (expected levels 1..2)");
  }

  @Test
  void dynamicDefaultsAreTritons() {
    BatchPolicy policy = BatchPolicy.dynamic(8);

    assertThat(policy.enabled()).isTrue();
    assertThat(policy.preferredBatchSizes()).isEmpty();
    assertThat(policy.maxQueueDelay()).isZero();
    assertThat(policy.preserveOrdering()).isFalse();
    assertThat(policy.priorityLevels()).isZero();
    assertThat(policy.defaultQueuePolicy())
        .isEqualTo(new QueuePolicy(0, TimeoutAction.REJECT, Duration.ZERO, false));
  }

  @Test
  void priorityOutsideTheLevelsUsesTheDefaultLevel() {
    BatchPolicy policy = BatchPolicy.dynamic(8).withPriorityLevels(3, 2);

    assertThat(policy.levelIndex(0)).isEqualTo(1);
    assertThat(policy.levelIndex(7)).isEqualTo(1);
    assertThat(policy.levelIndex(3)).isEqualTo(2);
  }

  @Test
  void queuePolicyRejectsNegativeValues() {
    assertThatThrownBy(() -> new QueuePolicy(-1, TimeoutAction.DELAY, Duration.ofSeconds(-1), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "queue policy: max_queue_size -1 (expected >= 0);"
                + " default_timeout PT-1S (expected a duration >= 0)");
  }
}
