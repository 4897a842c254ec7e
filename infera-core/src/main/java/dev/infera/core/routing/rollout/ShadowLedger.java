package dev.infera.core.routing.rollout;

import dev.infera.core.routing.ShadowDiff;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each shadow variant's comparison with the primary: how often it agreed, and per output the mean
 * and largest absolute difference and the class agreement.
 *
 * <p>Thread-safe: each variant's tally is updated under its own lock.
 */
public final class ShadowLedger {
  private final Map<String, Map<String, Tally>> tallies = new ConcurrentHashMap<>();

  void record(String model, String variant, ShadowDiff diff) {
    tallies
        .computeIfAbsent(model, m -> new ConcurrentHashMap<>())
        .computeIfAbsent(variant, v -> new Tally())
        .add(diff);
  }

  void dropped(String model, String variant) {
    tallies
        .computeIfAbsent(model, m -> new ConcurrentHashMap<>())
        .computeIfAbsent(variant, v -> new Tally())
        .drop();
  }

  Map<String, ShadowSummary> summary(String model) {
    Map<String, ShadowSummary> out = new TreeMap<>();
    tallies.getOrDefault(model, Map.of()).forEach((variant, t) -> out.put(variant, t.summary()));
    return out;
  }

  /**
   * @param compared copies answered and compared
   * @param dropped copies dropped (shadow queue full, or the shadow failed)
   * @param agreementRate share of compared copies whose every output agreed
   * @param outputs per output: mean absolute difference, largest absolute difference, class
   *     agreement
   */
  public record ShadowSummary(
      long compared, long dropped, double agreementRate, Map<String, OutputSummary> outputs) {}

  /** One output's figures over every compared copy. */
  public record OutputSummary(double meanAbsDiff, double maxAbsDiff, double classAgreement) {}

  private static final class Tally {
    private long compared;
    private long agreed;
    private long dropped;
    private final Map<String, double[]> outputs =
        new TreeMap<>(); // sum, elements, max, rows-agreeing-sum

    synchronized void add(ShadowDiff diff) {
      compared++;
      if (diff.agrees()) {
        agreed++;
      }
      diff.outputs()
          .forEach(
              (name, d) -> {
                double[] t = outputs.computeIfAbsent(name, n -> new double[4]);
                t[0] += d.meanAbsDiff() * d.elements();
                t[1] += d.elements();
                t[2] = Math.max(t[2], d.maxAbsDiff());
                t[3] += d.classAgreement();
              });
    }

    synchronized void drop() {
      dropped++;
    }

    synchronized ShadowSummary summary() {
      Map<String, OutputSummary> out = new TreeMap<>();
      outputs.forEach(
          (name, t) ->
              out.put(
                  name,
                  new OutputSummary(
                      t[1] == 0 ? 0 : t[0] / t[1], t[2], compared == 0 ? 1 : t[3] / compared)));
      return new ShadowSummary(
          compared, dropped, compared == 0 ? 0 : (double) agreed / compared, out);
    }
  }
}
