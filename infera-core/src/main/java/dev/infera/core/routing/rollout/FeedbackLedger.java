package dev.infera.core.routing.rollout;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Joins feedback (ground truth or a reward) to the variant that answered the request, and keeps
 * each variant's accuracy and mean reward. Recent answers are remembered by request id in a bounded
 * cache (the newest {@link #REMEMBERED} for at most {@link #RETENTION}).
 *
 * <p>Thread-safe: a Caffeine cache and adders.
 */
public final class FeedbackLedger {
  static final long REMEMBERED = 200_000;
  static final Duration RETENTION = Duration.ofHours(1);

  /** What a remembered answer predicted: a class index for vector rows, else the value. */
  record Answer(String variant, double prediction) {}

  private final Cache<String, Answer> answers =
      Caffeine.newBuilder().maximumSize(REMEMBERED).expireAfterWrite(RETENTION).build();
  private final Map<String, Map<String, Tally>> tallies = new ConcurrentHashMap<>();

  /** Remembers an answer of a request with an id. */
  void remember(String model, String requestId, String variant, double prediction) {
    answers.put(key(model, requestId), new Answer(variant, prediction));
  }

  /**
   * Records feedback for a remembered request.
   *
   * @param groundTruth the right answer (a class index, or the value), when known
   * @param reward a reward, when given
   * @return the variant credited
   * @throws InferenceException NOT_FOUND for an id not remembered; INVALID_ARGUMENT without either
   */
  public String record(
      String model, String requestId, Optional<Double> groundTruth, Optional<Double> reward) {
    if (groundTruth.isEmpty() && reward.isEmpty()) {
      throw InferenceException.invalidArgument(
          "feedback for request '" + requestId + "' has neither 'ground_truth' nor 'reward'");
    }
    finite("ground_truth", groundTruth);
    finite("reward", reward);
    Answer answer = answers.getIfPresent(key(model, requestId));
    if (answer == null) {
      throw new InferenceException(
          ErrorCode.NOT_FOUND,
          "model '"
              + model
              + "' has no recent request with id '"
              + requestId
              + "' (feedback needs the id of a request answered in the last hour that named no"
              + " version)");
    }
    Tally tally =
        tallies
            .computeIfAbsent(model, m -> new ConcurrentHashMap<>())
            .computeIfAbsent(answer.variant(), v -> new Tally());
    groundTruth.ifPresent(
        truth -> {
          tally.labelled.increment();
          if (Math.abs(answer.prediction() - truth) <= 1e-6 * Math.max(1, Math.abs(truth))) {
            tally.correct.increment();
          }
        });
    reward.ifPresent(
        value -> {
          tally.rewarded.increment();
          tally.rewardSum.add(value);
          tally.rewardSquares.add(value * value);
        });
    return answer.variant();
  }

  /** Each variant's feedback figures, by variant name. */
  public Map<String, VariantFeedback> summary(String model) {
    Map<String, VariantFeedback> out = new TreeMap<>();
    tallies.getOrDefault(model, Map.of()).forEach((variant, t) -> out.put(variant, t.summary()));
    return out;
  }

  private static String key(String model, String requestId) {
    return model + '\u0000' + requestId;
  }

  /**
   * One variant's feedback.
   *
   * @param labelled answers with ground truth
   * @param accuracy share of those that were right
   * @param accuracyLow lower end of the accuracy's 95 % Wilson interval
   * @param accuracyHigh upper end
   * @param rewarded answers with a reward
   * @param meanReward their mean reward
   * @param rewardLow lower end of the mean's 95 % normal interval
   * @param rewardHigh upper end
   */
  public record VariantFeedback(
      long labelled,
      double accuracy,
      double accuracyLow,
      double accuracyHigh,
      long rewarded,
      double meanReward,
      double rewardLow,
      double rewardHigh) {}

  private static final class Tally {
    final LongAdder labelled = new LongAdder();
    final LongAdder correct = new LongAdder();
    final LongAdder rewarded = new LongAdder();
    final DoubleAdder rewardSum = new DoubleAdder();
    final DoubleAdder rewardSquares = new DoubleAdder();

    VariantFeedback summary() {
      long n = labelled.sum();
      double p = n == 0 ? 0 : (double) correct.sum() / n;
      double z = 1.959964;
      double low = 0;
      double high = 0;
      if (n > 0) {
        double denominator = 1 + z * z / n;
        double centre = (p + z * z / (2 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        low = Math.max(0, centre - half);
        high = Math.min(1, centre + half);
      }
      long m = rewarded.sum();
      double mean = m == 0 ? 0 : rewardSum.sum() / m;
      double variance = m < 2 ? 0 : Math.max(0, (rewardSquares.sum() - m * mean * mean) / (m - 1));
      double margin = m < 2 ? 0 : z * Math.sqrt(variance / m);
      return new VariantFeedback(n, p, low, high, m, mean, mean - margin, mean + margin);
    }
  }

  /** A NaN or infinite value would stay in the variant's sums for good: refused. */
  private static void finite(String field, Optional<Double> value) {
    if (value.isPresent() && !Double.isFinite(value.get())) {
      throw InferenceException.invalidArgument(
          "feedback '" + field + "' is " + value.get() + " (expected a finite number)");
    }
  }
}
