package dev.infera.core.routing.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infera.core.routing.FakeVersion;
import dev.infera.core.routing.Route;
import dev.infera.core.routing.RoutingTable;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Rollouts driven by a fake clock over a routing table of fake versions. */
class TrafficManagerTest {
  private final MutableClock clock = new MutableClock();
  private final AtomicReference<RoutingTable> table =
      new AtomicReference<>(FakeVersion.table("m", 1, 2));
  private final MemoryStore store = new MemoryStore();
  private final Criteria criteria = new Criteria(50, 0.01, 1.5, 0.2, 0.2, 0.01);
  private final Random random = new Random(3);

  private TrafficManager manager() {
    return new TrafficManager(table::get, store, clock, new SimpleMeterRegistry());
  }

  private RolloutStatus start(TrafficManager manager) {
    return manager.startRollout(
        "m", Optional.of(1L), 2, List.of(10, 50, 100), Duration.ofSeconds(60), 2, criteria, "test");
  }

  /**
   * Sends n requests through the manager's router and records answers shifted by candidateShift.
   */
  private void traffic(TrafficManager manager, int n, double candidateShift) {
    RoutingTable now = table.get();
    for (int i = 0; i < n; i++) {
      Route route =
          manager
              .routerFor("m")
              .choose(now, now.model("m").orElseThrow(), Optional.empty())
              .orElseThrow();
      double shift = route.variant().equals("2") ? candidateShift : 0;
      manager.answered(
          "m",
          route.variant(),
          1_000_000 + random.nextInt(100_000),
          List.of(value(shift + random.nextGaussian())),
          Optional.of("r" + i));
    }
  }

  private static Tensor value(double v) {
    ByteBuffer data =
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat((float) v).flip();
    return Tensor.of("OUTPUT0", DataType.FP32, new long[] {1, 1}, data);
  }

  @Test
  void anEqualCandidatePassesEveryStepAndIsPromoted() {
    TrafficManager manager = manager();
    start(manager);
    for (int step = 0; step < 3; step++) {
      traffic(manager, 3000, 0);
      clock.advance(Duration.ofSeconds(61));
      manager.tick();
    }

    RolloutStatus status = manager.status("m");
    assertThat(status.state()).isEqualTo(RolloutState.PROMOTED);
    assertThat(status.weight()).isEqualTo(100);
    assertThat(manager.history("m"))
        .extracting(Decision::kind)
        .containsExactly("start", "step", "step", "promote");
    assertThat(manager.policy("m").orElseThrow().split())
        .singleElement()
        .satisfies(v -> assertThat(v.version()).isEqualTo(2));
  }

  @Test
  void aShiftedCandidateIsRolledBackByTheOutputCheck() {
    TrafficManager manager = manager();
    start(manager);
    traffic(manager, 3000, 3);
    clock.advance(Duration.ofSeconds(61));
    manager.tick();

    RolloutStatus status = manager.status("m");
    assertThat(status.state()).isEqualTo(RolloutState.ROLLED_BACK);
    assertThat(status.reason()).contains("output:OUTPUT0").contains("PSI");
    assertThat(manager.policy("m").orElseThrow().split())
        .singleElement()
        .satisfies(v -> assertThat(v.version()).isEqualTo(1));
  }

  @Test
  void aStepIsNotJudgedBeforeItsDurationAndIsExtendedWhileInconclusive() {
    TrafficManager manager = manager();
    start(manager);
    traffic(manager, 100, 0); // about 10 candidate answers: too few
    clock.advance(Duration.ofSeconds(59));
    manager.tick();
    assertThat(manager.history("m")).hasSize(1);

    clock.advance(Duration.ofSeconds(2));
    manager.tick();
    assertThat(manager.status("m").extensions()).isEqualTo(1);
    assertThat(manager.status("m").state()).isEqualTo(RolloutState.RUNNING);

    clock.advance(Duration.ofSeconds(121));
    manager.tick();
    manager.tick();
    clock.advance(Duration.ofSeconds(61));
    manager.tick();
    assertThat(manager.status("m").state()).isEqualTo(RolloutState.ROLLED_BACK);
    assertThat(manager.status("m").reason()).contains("inconclusive");
  }

  @Test
  void aRestartResumesAtTheSameStep() {
    TrafficManager first = manager();
    start(first);
    traffic(first, 3000, 0);
    clock.advance(Duration.ofSeconds(61));
    first.tick();
    assertThat(first.status("m").step()).isEqualTo(1);

    TrafficManager second = manager();

    assertThat(second.status("m").state()).isEqualTo(RolloutState.RUNNING);
    assertThat(second.status("m").step()).isEqualTo(1);
    assertThat(second.status("m").weight()).isEqualTo(50);
    assertThat(second.history("m")).hasSize(2);
  }

  @Test
  void unloadingTheCandidateAbortsTheRollout() {
    TrafficManager manager = manager();
    start(manager);
    manager.tick();
    table.set(FakeVersion.table("m", 1));

    manager.tick();

    assertThat(manager.status("m").state()).isEqualTo(RolloutState.ABORTED);
    assertThat(manager.status("m").reason())
        .contains("candidate model 'm' version '2' was unloaded");
  }

  @Test
  void badRequestsAreRefusedWithTheProblemNamed() {
    TrafficManager manager = manager();
    assertThat(
            catchThrowableOfType(
                InferenceException.class,
                () ->
                    manager.startRollout(
                        "m",
                        Optional.of(1L),
                        1,
                        List.of(5, 100),
                        Duration.ofSeconds(1),
                        1,
                        criteria,
                        "t")))
        .hasMessageContaining("is the stable version");
    assertThat(
            catchThrowableOfType(
                InferenceException.class,
                () ->
                    manager.startRollout(
                        "m",
                        Optional.of(1L),
                        2,
                        List.of(50, 25),
                        Duration.ofSeconds(1),
                        1,
                        criteria,
                        "t")))
        .hasMessageContaining("strictly increasing");
    InferenceException unknown =
        catchThrowableOfType(
            InferenceException.class,
            () ->
                manager.startRollout(
                    "m", Optional.of(1L), 7, List.of(5), Duration.ofSeconds(1), 1, criteria, "t"));
    assertThat(unknown.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(unknown).hasMessageContaining("version '7'");
    start(manager);
    InferenceException second =
        catchThrowableOfType(InferenceException.class, () -> start(manager));
    assertThat(second.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(second).hasMessageContaining("running rollout");
    InferenceException feedback =
        catchThrowableOfType(
            InferenceException.class,
            () -> manager.feedback("m", "nope", Optional.of(1.0), Optional.empty()));
    assertThat(feedback.code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void feedbackIsCreditedToTheVariantThatAnswered() {
    TrafficManager manager = manager();
    manager.answered("m", "2", 1000, List.of(value(1.0f)), Optional.of("abc"));

    assertThat(manager.feedback("m", "abc", Optional.of(1.0), Optional.of(0.5))).isEqualTo("2");
    FeedbackLedger.VariantFeedback figures = manager.feedbackSummary("m").get("2");
    assertThat(figures.labelled()).isEqualTo(1);
    assertThat(figures.accuracy()).isEqualTo(1.0);
    assertThat(figures.meanReward()).isEqualTo(0.5);
  }

  @Test
  void aRewardOrGroundTruthThatIsNotFiniteIsRefusedAndCountsNothing() {
    TrafficManager manager = manager();
    manager.answered("m", "2", 1000, List.of(value(1.0f)), Optional.of("abc"));

    for (double bad :
        new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      InferenceException reward =
          catchThrowableOfType(
              InferenceException.class,
              () -> manager.feedback("m", "abc", Optional.empty(), Optional.of(bad)));
      InferenceException truth =
          catchThrowableOfType(
              InferenceException.class,
              () -> manager.feedback("m", "abc", Optional.of(bad), Optional.empty()));
      assertThat(reward.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThat(reward)
          .hasMessageContaining("'reward' is")
          .hasMessageEndingWith("(expected a finite number)");
      assertThat(truth.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
    assertThat(manager.feedback("m", "abc", Optional.empty(), Optional.of(0.5))).isEqualTo("2");
    assertThat(manager.feedbackSummary("m").get("2").meanReward()).isEqualTo(0.5);
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** A store keeping the last saved state in memory. */
  static final class MemoryStore implements RoutingStore {
    private RoutingState state;

    @Override
    public Optional<RoutingState> load() {
      return Optional.ofNullable(state);
    }

    @Override
    public void save(RoutingState saved) {
      state = saved;
    }
  }
}
