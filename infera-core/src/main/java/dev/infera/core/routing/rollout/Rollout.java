package dev.infera.core.routing.rollout;

import dev.infera.core.routing.Variant;
import dev.infera.core.routing.rollout.VariantWindow.Sample;
import java.util.Map;
import java.util.Optional;

/**
 * One running rollout: its status and the windows its variants' requests are recorded in. Decides
 * at each tick whether the step is due and what its judgement means: PASS advances (or promotes
 * after the last step), FAIL rolls back, INCONCLUSIVE extends the step up to the spec's limit and
 * then rolls back.
 *
 * <p>Threading: {@link #record} methods are called by request threads (the windows lock
 * themselves); {@link #tick} and the manual transitions are serialized by the owner's lock.
 */
final class Rollout {
  private volatile RolloutStatus status;
  private volatile VariantWindow stableWindow = new VariantWindow();
  private volatile VariantWindow candidateWindow = new VariantWindow();
  private Sample lastBaseline = Sample.empty();

  Rollout(RolloutStatus status) {
    this.status = status;
  }

  RolloutStatus status() {
    return status;
  }

  String stableVariant() {
    return Variant.name(status.spec().model(), status.spec().model(), status.spec().stable());
  }

  String candidateVariant() {
    return Variant.name(status.spec().model(), status.spec().model(), status.spec().candidate());
  }

  /** The window a variant's requests go to now; empty for variants outside the rollout. */
  Optional<VariantWindow> window(String variant) {
    if (status.state().finished()) {
      return Optional.empty();
    }
    if (variant.equals(candidateVariant())) {
      return Optional.of(candidateWindow);
    }
    if (variant.equals(stableVariant())) {
      return Optional.of(stableWindow);
    }
    return Optional.empty();
  }

  /**
   * Judges the step when it is due.
   *
   * @return the decision taken, if any
   */
  Optional<Decision> tick(long nowMillis) {
    RolloutStatus current = status;
    if (current.state().finished() || nowMillis < current.dueMillis()) {
      return Optional.empty();
    }
    Sample baseline = stableWindow.sample();
    boolean sameWindow = true;
    if (baseline.answered() < current.spec().criteria().minRequests()
        && lastBaseline.answered() > baseline.answered()) {
      baseline = lastBaseline; // at 100 % the stable version gets no traffic: use the last window
      sameWindow = false;
    }
    Sample candidate = candidateWindow.sample();
    Judgement judgement =
        Judge.judge(
            baseline,
            candidate,
            current.spec().criteria().forLook(current.extensions() + 1),
            nowMillis,
            sameWindow);
    return Optional.of(decide(current, judgement, baseline, nowMillis));
  }

  private Decision decide(
      RolloutStatus current, Judgement judgement, Sample baseline, long nowMillis) {
    switch (judgement.verdict()) {
      case PASS -> {
        int next = current.step() + 1;
        if (next >= current.spec().steps().size()) {
          status =
              current.finished(
                  RolloutState.PROMOTED, "every step passed", nowMillis, Optional.of(judgement));
          return decision("promote", "judge", "every step passed", Optional.of(judgement));
        }
        lastBaseline = baseline;
        stableWindow = new VariantWindow();
        candidateWindow = new VariantWindow();
        status = current.atStep(next, nowMillis, Optional.of(judgement));
        return decision(
            "step",
            "judge",
            "step " + (current.step() + 1) + " passed; candidate at " + status.weight() + " %",
            Optional.of(judgement));
      }
      case FAIL -> {
        String why = "judgement failed: " + judgement.failures();
        status = current.finished(RolloutState.ROLLED_BACK, why, nowMillis, Optional.of(judgement));
        return decision("rollback", "judge", why, Optional.of(judgement));
      }
      default -> {
        if (current.extensions() >= current.spec().maxExtensions()) {
          String why =
              "still inconclusive after "
                  + current.extensions()
                  + " extensions of step "
                  + (current.step() + 1);
          status =
              current.finished(RolloutState.ROLLED_BACK, why, nowMillis, Optional.of(judgement));
          return decision("rollback", "judge", why, Optional.of(judgement));
        }
        status = current.extended(nowMillis, judgement);
        return decision(
            "extend",
            "judge",
            "inconclusive; step " + (current.step() + 1) + " extended",
            Optional.of(judgement));
      }
    }
  }

  /** Ends the rollout by hand or because a version went away. */
  Decision finish(RolloutState end, String kind, String by, String why, long nowMillis) {
    status = status.finished(end, why, nowMillis, Optional.empty());
    return decision(kind, by, why, Optional.empty());
  }

  private Decision decision(String kind, String by, String reason, Optional<Judgement> judgement) {
    RolloutStatus now = status;
    return new Decision(
        now.updatedMillis(),
        kind,
        by,
        now.spec().stable(),
        now.spec().candidate(),
        now.step(),
        now.weight(),
        reason,
        judgement);
  }

  /** The figures of the current windows, for status. */
  Map<String, Sample> samples() {
    return Map.of(
        stableVariant(), stableWindow.sample(), candidateVariant(), candidateWindow.sample());
  }
}
