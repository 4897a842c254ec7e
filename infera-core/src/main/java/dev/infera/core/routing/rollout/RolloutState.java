package dev.infera.core.routing.rollout;

/** Where a rollout stands. */
public enum RolloutState {
  /** Stepping through its weights. */
  RUNNING,
  /** Passed every step (or was promoted by hand): the candidate is the stable version. */
  PROMOTED,
  /** A judgement failed (or stayed inconclusive too long): all traffic back on the stable one. */
  ROLLED_BACK,
  /** Stopped by hand, or because its stable or candidate version was unloaded. */
  ABORTED;

  public boolean finished() {
    return this != RUNNING;
  }
}
