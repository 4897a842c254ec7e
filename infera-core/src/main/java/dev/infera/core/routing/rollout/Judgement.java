package dev.infera.core.routing.rollout;

import java.util.List;

/**
 * The comparison of candidate and baseline over one step window.
 *
 * @param verdict FAIL when any check fails, PASS when every check passes, else INCONCLUSIVE
 * @param checks every check with its figures
 * @param atMillis when it was made (epoch milliseconds, from the injected clock)
 */
public record Judgement(Verdict verdict, List<Check> checks, long atMillis) {
  public Judgement {
    checks = List.copyOf(checks);
  }

  /** The overall verdict of a set of checks. */
  public static Verdict overall(List<Check> checks) {
    if (checks.stream().anyMatch(c -> c.verdict() == Verdict.FAIL)) {
      return Verdict.FAIL;
    }
    if (checks.stream().allMatch(c -> c.verdict() == Verdict.PASS)) {
      return Verdict.PASS;
    }
    return Verdict.INCONCLUSIVE;
  }

  /** The failed checks' details, for a rollback's reason. */
  public String failures() {
    return String.join(
        "; ",
        checks.stream()
            .filter(c -> c.verdict() == Verdict.FAIL)
            .map(c -> c.name() + ": " + c.detail())
            .toList());
  }
}
