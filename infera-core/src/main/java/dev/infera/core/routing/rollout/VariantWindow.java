package dev.infera.core.routing.rollout;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * What one variant did during one step window: requests and errors, latencies (a KLL sketch for
 * quantiles and a uniform reservoir sample for the rank test) and each output's values (KLL
 * sketches, for PSI and KS).
 *
 * <p>Threading: every method takes the window's lock; the work under it is a few array writes and
 * sketch updates.
 */
public final class VariantWindow {
  /** Latencies kept for the Mann-Whitney test (a uniform sample of the window's). */
  static final int RESERVOIR = 2_000;

  /**
   * Elements of one output recorded per answer (all of a small output, a prefix of a large one).
   */
  static final int ELEMENTS_PER_ANSWER = 64;

  private static final int K = 200;

  private final SplittableRandom random = new SplittableRandom(42);
  private final KllDoublesSketch latency = KllDoublesSketch.newHeapInstance(K);
  private final double[] reservoir = new double[RESERVOIR];
  private final Map<String, KllDoublesSketch> outputs = new HashMap<>();
  private long requests;
  private long errors;
  private long answered;

  /** Records an answer: its latency in seconds and its outputs' values. */
  public synchronized void answered(double latencySeconds, Map<String, double[]> values) {
    requests++;
    answered++;
    latency.update(latencySeconds);
    if (answered <= RESERVOIR) {
      reservoir[(int) answered - 1] = latencySeconds;
    } else {
      long slot = random.nextLong(answered);
      if (slot < RESERVOIR) {
        reservoir[(int) slot] = latencySeconds;
      }
    }
    values.forEach(
        (name, elements) -> {
          KllDoublesSketch sketch =
              outputs.computeIfAbsent(name, n -> KllDoublesSketch.newHeapInstance(K));
          int n = Math.min(elements.length, ELEMENTS_PER_ANSWER);
          for (int i = 0; i < n; i++) {
            if (Double.isFinite(elements[i])) {
              sketch.update(elements[i]);
            }
          }
        });
  }

  /** Records a failed request. */
  public synchronized void failed() {
    requests++;
    errors++;
  }

  /** A copy of the window's figures for a judgement. */
  public synchronized Sample sample() {
    Map<String, KllDoublesSketch> copies = new HashMap<>();
    outputs.forEach((name, sketch) -> copies.put(name, copy(sketch)));
    return new Sample(
        requests,
        errors,
        Arrays.copyOf(reservoir, (int) Math.min(answered, RESERVOIR)),
        copy(latency),
        copies);
  }

  private static KllDoublesSketch copy(KllDoublesSketch sketch) {
    return KllDoublesSketch.heapify(
        org.apache.datasketches.memory.Memory.wrap(sketch.toByteArray()));
  }

  /**
   * A window's figures at one moment.
   *
   * @param requests requests routed to the variant (answered or failed)
   * @param errors failed requests
   * @param latencies a uniform sample of the answered requests' latencies, in seconds
   * @param latency every answered request's latency, in seconds
   * @param outputs each output's values
   */
  public record Sample(
      long requests,
      long errors,
      double[] latencies,
      KllDoublesSketch latency,
      Map<String, KllDoublesSketch> outputs) {

    /** An empty sample. */
    public static Sample empty() {
      return new VariantWindow().sample();
    }

    public long answered() {
      return requests - errors;
    }
  }
}
