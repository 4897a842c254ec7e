package dev.infera.core.routing.rollout;

import java.util.Map;
import java.util.Objects;

/**
 * One check of a judgement.
 *
 * @param name {@code error_rate}, {@code latency} or {@code output:NAME}
 * @param verdict its outcome
 * @param figures what was measured (rates, p-values, ratios, PSI, KS statistic, sample counts)
 * @param detail one sentence saying why
 */
public record Check(String name, Verdict verdict, Map<String, Double> figures, String detail) {
  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(verdict, "verdict");
    figures = Map.copyOf(figures);
    Objects.requireNonNull(detail, "detail");
  }
}
