package dev.infera.core.routing.rollout;

/** The outcome of one check, and of a judgement as a whole. */
public enum Verdict {
  /** The candidate is within every limit. */
  PASS,
  /** The candidate is significantly worse than a limit allows. */
  FAIL,
  /** Too few samples, or a difference not (yet) significant: the step is extended. */
  INCONCLUSIVE
}
