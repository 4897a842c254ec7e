package dev.infera.core.routing.rollout;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a model's rollout history: a start, a step, a verdict with its figures, a promotion,
 * a rollback or an abort.
 *
 * @param atMillis when (epoch milliseconds)
 * @param kind {@code start}, {@code step}, {@code extend}, {@code promote}, {@code rollback},
 *     {@code abort}
 * @param by who: the API key's name, "anonymous", or "judge" for automatic decisions
 * @param stable the stable version
 * @param candidate the candidate version
 * @param step the step index (0-based) the decision was made in
 * @param weight the candidate's share after the decision, in percent
 * @param reason why, in words
 * @param judgement the judgement that led to it, when one did
 */
public record Decision(
    long atMillis,
    String kind,
    String by,
    long stable,
    long candidate,
    int step,
    int weight,
    String reason,
    Optional<Judgement> judgement) {
  public Decision {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(judgement, "judgement");
  }
}
