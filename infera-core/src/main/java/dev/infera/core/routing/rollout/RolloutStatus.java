package dev.infera.core.routing.rollout;

import java.util.Objects;
import java.util.Optional;

/**
 * A rollout at one moment: what `rollout status` shows and what the state directory keeps.
 *
 * @param spec what was asked
 * @param state where it stands
 * @param step the current (or last) step, 0-based
 * @param weight the candidate's share now, in percent (0 once rolled back or aborted, 100 once
 *     promoted)
 * @param stepStartedMillis when the current step's window opened (epoch milliseconds)
 * @param extensions how often the current step was extended while inconclusive
 * @param reason why it finished; empty while it runs
 * @param lastJudgement the latest judgement, with every check's figures
 * @param updatedMillis when it last changed
 */
public record RolloutStatus(
    RolloutSpec spec,
    RolloutState state,
    int step,
    int weight,
    long stepStartedMillis,
    int extensions,
    String reason,
    Optional<Judgement> lastJudgement,
    long updatedMillis) {

  public RolloutStatus {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(lastJudgement, "lastJudgement");
  }

  /** A rollout just started at its first step. */
  public static RolloutStatus started(RolloutSpec spec, long nowMillis) {
    return new RolloutStatus(
        spec,
        RolloutState.RUNNING,
        0,
        spec.steps().get(0),
        nowMillis,
        0,
        "",
        Optional.empty(),
        nowMillis);
  }

  RolloutStatus atStep(int next, long nowMillis, Optional<Judgement> judgement) {
    return new RolloutStatus(
        spec, state, next, spec.steps().get(next), nowMillis, 0, reason, judgement, nowMillis);
  }

  RolloutStatus extended(long nowMillis, Judgement judgement) {
    return new RolloutStatus(
        spec,
        state,
        step,
        weight,
        stepStartedMillis,
        extensions + 1,
        reason,
        Optional.of(judgement),
        nowMillis);
  }

  RolloutStatus finished(
      RolloutState end, String why, long nowMillis, Optional<Judgement> judgement) {
    int finalWeight = end == RolloutState.PROMOTED ? 100 : 0;
    return new RolloutStatus(
        spec,
        end,
        step,
        finalWeight,
        stepStartedMillis,
        extensions,
        why,
        judgement.or(() -> lastJudgement),
        nowMillis);
  }

  /** A restored rollout's step starts over: its window's samples were not kept. */
  RolloutStatus restarted(long nowMillis) {
    return new RolloutStatus(
        spec, state, step, weight, nowMillis, extensions, reason, lastJudgement, nowMillis);
  }

  /** When the current step is due for judgement (extensions included). */
  public long dueMillis() {
    return stepStartedMillis + spec.stepMillis() * (extensions + 1L);
  }
}
