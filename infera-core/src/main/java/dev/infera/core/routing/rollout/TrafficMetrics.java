package dev.infera.core.routing.rollout;

import dev.infera.core.metrics.MetricNames;
import dev.infera.core.routing.ShadowDiff;
import dev.infera.spi.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Traffic meters (docs/metrics.md): requests, failures and latency per variant (label {@code
 * variant}), rollout state, weight and judgements per model, shadow comparisons, and feedback
 * figures per variant.
 *
 * <p>Thread-safe: meters are looked up in concurrent maps; Micrometer meters are thread-safe.
 */
final class TrafficMetrics {
  static final String TAG_VARIANT = "variant";
  static final String VARIANT_REQUESTS = "infera.variant.requests";
  static final String VARIANT_FAILURES = "infera.variant.failures";
  static final String VARIANT_DURATION = "infera.variant.request.duration";
  static final String ROLLOUT_WEIGHT = "infera.rollout.weight";
  static final String ROLLOUT_STATE = "infera.rollout.state";
  static final String ROLLOUT_JUDGEMENTS = "infera.rollout.judgements";
  static final String SHADOW_REQUESTS = "infera.shadow.requests";
  static final String SHADOW_AGREEMENTS = "infera.shadow.agreements";
  static final String SHADOW_DROPPED = "infera.shadow.dropped";
  static final String SHADOW_ABS_DIFF = "infera.shadow.abs.diff";
  static final String FEEDBACK_ACCURACY = "infera.feedback.accuracy";
  static final String FEEDBACK_REWARD = "infera.feedback.reward.mean";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Boolean> gauges = new ConcurrentHashMap<>();

  TrafficMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void answered(String model, String variant, long nanos) {
    counter(VARIANT_REQUESTS, model, variant).increment();
    timer(model, variant).record(Duration.ofNanos(nanos));
  }

  void failed(String model, String variant, long nanos, ErrorCode code) {
    counter(VARIANT_REQUESTS, model, variant).increment();
    counters
        .computeIfAbsent(
            VARIANT_FAILURES + '|' + model + '|' + variant + '|' + code,
            k ->
                Counter.builder(VARIANT_FAILURES)
                    .description("Failed requests per traffic variant (before fallback)")
                    .tags(
                        MetricNames.TAG_MODEL,
                        model,
                        TAG_VARIANT,
                        variant,
                        MetricNames.TAG_REASON,
                        code.name())
                    .register(registry))
        .increment();
    timer(model, variant).record(Duration.ofNanos(nanos));
  }

  void shadowed(String model, String variant, ShadowDiff diff) {
    counter(SHADOW_REQUESTS, model, variant).increment();
    if (diff.agrees()) {
      counter(SHADOW_AGREEMENTS, model, variant).increment();
    }
    diff.outputs()
        .forEach(
            (output, figures) ->
                DistributionSummary.builder(SHADOW_ABS_DIFF)
                    .description("Largest absolute difference of a shadow's output per request")
                    .tags(MetricNames.TAG_MODEL, model, TAG_VARIANT, variant, "output", output)
                    .register(registry)
                    .record(figures.maxAbsDiff()));
  }

  void shadowDropped(String model, String variant) {
    counter(SHADOW_DROPPED, model, variant).increment();
  }

  void judged(String model, Verdict verdict) {
    counters
        .computeIfAbsent(
            ROLLOUT_JUDGEMENTS + '|' + model + '|' + verdict,
            k ->
                Counter.builder(ROLLOUT_JUDGEMENTS)
                    .description("Rollout step judgements by verdict")
                    .tags(MetricNames.TAG_MODEL, model, "verdict", verdict.name())
                    .register(registry))
        .increment();
  }

  /** Registers the model's rollout gauges once; they read the manager's current status. */
  void rolloutGauges(String model, TrafficManager manager) {
    if (gauges.putIfAbsent("rollout|" + model, Boolean.TRUE) != null) {
      return;
    }
    Gauge.builder(ROLLOUT_WEIGHT, manager, m -> m.weightOf(model))
        .description("The rollout candidate's share of the model's traffic, in percent")
        .tags(MetricNames.TAG_MODEL, model)
        .register(registry);
    for (RolloutState state : RolloutState.values()) {
      Gauge.builder(ROLLOUT_STATE, manager, m -> m.stateOf(model) == state ? 1 : 0)
          .description("1 for the state the model's latest rollout is in")
          .tags(MetricNames.TAG_MODEL, model, MetricNames.TAG_STATE, state.name())
          .register(registry);
    }
  }

  /** Registers a variant's feedback gauges once. */
  void feedbackGauges(String model, String variant, FeedbackLedger ledger) {
    if (gauges.putIfAbsent("feedback|" + model + '|' + variant, Boolean.TRUE) != null) {
      return;
    }
    gauge(FEEDBACK_ACCURACY, model, variant, ledger, f -> f.accuracy(), "Share of right answers");
    gauge(FEEDBACK_REWARD, model, variant, ledger, f -> f.meanReward(), "Mean reward");
  }

  private void gauge(
      String name,
      String model,
      String variant,
      FeedbackLedger ledger,
      ToDoubleFunction<FeedbackLedger.VariantFeedback> value,
      String description) {
    Gauge.builder(
            name,
            ledger,
            l -> {
              FeedbackLedger.VariantFeedback f = l.summary(model).get(variant);
              return f == null ? 0 : value.applyAsDouble(f);
            })
        .description(description + " per traffic variant, from feedback")
        .tags(MetricNames.TAG_MODEL, model, TAG_VARIANT, variant)
        .register(registry);
  }

  private Counter counter(String name, String model, String variant) {
    return counters.computeIfAbsent(
        name + '|' + model + '|' + variant,
        k ->
            Counter.builder(name)
                .description("Requests per traffic variant")
                .tags(MetricNames.TAG_MODEL, model, TAG_VARIANT, variant)
                .register(registry));
  }

  private Timer timer(String model, String variant) {
    return timers.computeIfAbsent(
        model + '|' + variant,
        k ->
            Timer.builder(VARIANT_DURATION)
                .description("Request latency per traffic variant")
                .tags(MetricNames.TAG_MODEL, model, TAG_VARIANT, variant)
                .register(registry));
  }
}
