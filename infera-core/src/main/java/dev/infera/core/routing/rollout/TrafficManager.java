package dev.infera.core.routing.rollout;

import dev.infera.core.routing.ModelRoutes;
import dev.infera.core.routing.PolicyRouter;
import dev.infera.core.routing.RoutedVersion;
import dev.infera.core.routing.RoutingTable;
import dev.infera.core.routing.ShadowDiff;
import dev.infera.core.routing.TrafficPolicy;
import dev.infera.core.routing.TrafficRecorder;
import dev.infera.core.routing.Variant;
import dev.infera.core.routing.VersionRouter;
import dev.infera.core.routing.rollout.FeedbackLedger.VariantFeedback;
import dev.infera.core.routing.rollout.ShadowLedger.ShadowSummary;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of traffic: each model's traffic policy and canary rollout, the decisions' history,
 * feedback and shadow comparisons. Publishes each model's {@link VersionRouter} for the router,
 * records every routed request's outcome ({@link TrafficRecorder}), judges running rollouts on its
 * own thread ({@code infera-rollout-judge}) at every tick, and stores its state after every change.
 *
 * <p>Threading: changes (API calls, ticks) are serialized by the manager's lock; the routers map is
 * an immutable snapshot read without locks; recording takes no manager lock.
 */
public final class TrafficManager implements TrafficRecorder, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrafficManager.class);

  private final Supplier<RoutingTable> tables;
  private final RoutingStore store;
  private final Clock clock;
  private final TrafficMetrics metrics;
  private final FeedbackLedger feedback = new FeedbackLedger();
  private final ShadowLedger shadows = new ShadowLedger();
  private final Map<String, TrafficPolicy> policies = new HashMap<>();
  private final Map<String, Rollout> rollouts = new ConcurrentHashMap<>();
  private final Map<String, List<Decision>> history = new HashMap<>();
  private final Map<String, Boolean> seenReady = new HashMap<>();
  private volatile Map<String, VersionRouter> routers = Map.of();
  private ScheduledExecutorService judge;

  /**
   * @param tables the lifecycle's latest routing table
   * @param store where the state is kept between runs; its saved state is restored here
   * @param clock the time for step windows and decisions
   */
  public TrafficManager(
      Supplier<RoutingTable> tables, RoutingStore store, Clock clock, MeterRegistry registry) {
    this.tables = tables;
    this.store = store;
    this.clock = clock;
    this.metrics = new TrafficMetrics(registry);
    store.load().ifPresent(this::restore);
  }

  private synchronized void restore(RoutingState state) {
    long now = clock.millis();
    policies.putAll(state.policies());
    state.history().forEach((model, list) -> history.put(model, new ArrayList<>(list)));
    state
        .rollouts()
        .forEach(
            (model, status) -> {
              RolloutStatus restored = status.state().finished() ? status : status.restarted(now);
              rollouts.put(model, new Rollout(restored));
              metrics.rolloutGauges(model, this);
              if (!status.state().finished()) {
                LOG.info(
                    "model '{}': resuming the rollout of version {} at step {} ({} %)",
                    model, status.spec().candidate(), status.step() + 1, status.weight());
              }
            });
    publishRouters();
  }

  /** Starts judging running rollouts every {@code tick}. */
  public synchronized void start(Duration tick) {
    if (judge != null) {
      return;
    }
    judge =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "infera-rollout-judge");
              thread.setDaemon(true);
              return thread;
            });
    judge.scheduleWithFixedDelay(
        this::tickSafely, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.error("rollout judgement failed: {}", e.toString(), e);
    }
  }

  /** The policy of a model's requests that name no version. */
  public VersionRouter routerFor(String model) {
    return routers.getOrDefault(model, VersionRouter.HIGHEST_READY);
  }

  // ---- traffic policies

  /** Sets a model's traffic policy after checking it against what serves. */
  public synchronized TrafficPolicy setPolicy(String model, TrafficPolicy policy, String by) {
    requireKnown(model);
    requireNoRunningRollout(model, "set a traffic policy");
    policy.checkAgainst(tables.get(), model);
    policies.put(model, policy);
    decide(
        model,
        new Decision(
            clock.millis(),
            "policy",
            by,
            0,
            0,
            0,
            0,
            "traffic policy: " + policy.describe(),
            Optional.empty()));
    return policy;
  }

  /** Removes a model's traffic policy: requests naming no version go to the highest READY one. */
  public synchronized void clearPolicy(String model, String by) {
    requireNoRunningRollout(model, "remove the traffic policy");
    if (policies.remove(model) == null) {
      throw new InferenceException(
          ErrorCode.NOT_FOUND, "model '" + model + "' has no traffic policy");
    }
    decide(
        model,
        new Decision(
            clock.millis(), "policy", by, 0, 0, 0, 0, "traffic policy removed", Optional.empty()));
  }

  public synchronized Optional<TrafficPolicy> policy(String model) {
    return Optional.ofNullable(policies.get(model));
  }

  // ---- rollouts

  /**
   * Starts a canary rollout.
   *
   * @param stable the baseline; empty means the version requests naming none go to now
   * @throws InferenceException NOT_FOUND for an unknown model or version, INVALID_ARGUMENT for a
   *     bad spec (candidate equal to stable, steps not increasing), FAILED_PRECONDITION while
   *     another rollout of the model runs
   */
  public synchronized RolloutStatus startRollout(
      String model,
      Optional<Long> stable,
      long candidate,
      List<Integer> steps,
      Duration stepDuration,
      int maxExtensions,
      Criteria criteria,
      String by) {
    ModelRoutes routes = requireKnown(model);
    requireNoRunningRollout(model, "start another");
    requireOwnVersionsOnly(model);
    long baseline = stable.orElseGet(() -> defaultStable(model, routes, candidate));
    RolloutSpec spec =
        new RolloutSpec(
            model,
            baseline,
            candidate,
            steps,
            stepDuration.toMillis(),
            maxExtensions,
            criteria,
            by);
    requireReady(routes, baseline, "stable");
    requireReady(routes, candidate, "candidate");
    RolloutStatus status = RolloutStatus.started(spec, clock.millis());
    rollouts.put(model, new Rollout(status));
    seenReady.put(model, true);
    metrics.rolloutGauges(model, this);
    decide(
        model,
        new Decision(
            status.updatedMillis(),
            "start",
            by,
            baseline,
            candidate,
            0,
            status.weight(),
            "canary of version " + candidate + " against " + baseline + ", steps " + steps,
            Optional.empty()));
    return status;
  }

  /**
   * A rollout compares two versions of one model and its ending pins one of them, which would drop
   * a policy that routes to another model without a word: such a policy is removed by hand first.
   */
  private void requireOwnVersionsOnly(String model) {
    Optional<String> other =
        Optional.ofNullable(policies.get(model)).flatMap(policy -> policy.otherModel(model));
    if (other.isPresent()) {
      throw new InferenceException(
          ErrorCode.FAILED_PRECONDITION,
          "model '"
              + model
              + "' has a traffic policy that sends requests to "
              + other.get()
              + "; a rollout compares two versions of '"
              + model
              + "' and would replace that policy: remove it first");
    }
  }

  /**
   * The baseline of a rollout that names none: the stable variant of the model's policy when it is
   * a version of the model, else the highest READY version other than the candidate.
   */
  private long defaultStable(String model, ModelRoutes routes, long candidate) {
    TrafficPolicy policy = policies.get(model);
    if (policy != null
        && policy.stable().model().equals(model)
        && policy.stable().version() != candidate) {
      return policy.stable().version();
    }
    List<RoutedVersion> ready = routes.ready();
    for (int i = ready.size() - 1; i >= 0; i--) {
      if (ready.get(i).version() != candidate) {
        return ready.get(i).version();
      }
    }
    throw new InferenceException(
        ErrorCode.FAILED_PRECONDITION,
        "model '"
            + model
            + "' has no READY version other than the candidate "
            + candidate
            + " to roll out from");
  }

  /** The model's latest rollout. */
  public RolloutStatus status(String model) {
    return rollout(model).status();
  }

  /** Promotes the running rollout's candidate at once. */
  public synchronized RolloutStatus promote(String model, String by) {
    Rollout rollout = running(model);
    decide(
        model,
        rollout.finish(RolloutState.PROMOTED, "promote", by, "promoted by " + by, clock.millis()));
    return rollout.status();
  }

  /** Aborts the running rollout: all traffic back to the stable version. */
  public synchronized RolloutStatus abort(String model, String by) {
    Rollout rollout = running(model);
    decide(
        model,
        rollout.finish(RolloutState.ABORTED, "abort", by, "aborted by " + by, clock.millis()));
    return rollout.status();
  }

  /** Every decision about a model's traffic, oldest first. */
  public synchronized List<Decision> history(String model) {
    List<Decision> decisions = history.get(model);
    if (decisions == null) {
      requireKnown(model);
      return List.of();
    }
    return List.copyOf(decisions);
  }

  /** The current step windows' raw counts per variant, for status. */
  public Map<String, VariantWindow.Sample> windows(String model) {
    return rollout(model).samples();
  }

  // ---- feedback and shadow

  /** Records ground truth or a reward for a request; returns the variant credited. */
  public String feedback(
      String model, String requestId, Optional<Double> groundTruth, Optional<Double> reward) {
    requireKnown(model);
    String variant = feedback.record(model, requestId, groundTruth, reward);
    metrics.feedbackGauges(model, variant, feedback);
    return variant;
  }

  public Map<String, VariantFeedback> feedbackSummary(String model) {
    return feedback.summary(model);
  }

  public Map<String, ShadowSummary> shadowSummary(String model) {
    return shadows.summary(model);
  }

  // ---- judgement

  /** Judges every running rollout whose step is due, and aborts those whose versions left. */
  public synchronized void tick() {
    long now = clock.millis();
    RoutingTable table = tables.get();
    for (Map.Entry<String, Rollout> entry : rollouts.entrySet()) {
      String model = entry.getKey();
      Rollout rollout = entry.getValue();
      if (rollout.status().state().finished()) {
        continue;
      }
      Optional<String> missing = missingVersion(table, rollout.status().spec());
      if (missing.isEmpty()) {
        seenReady.put(model, true);
      } else if (seenReady.getOrDefault(model, false)) {
        decide(
            model, rollout.finish(RolloutState.ABORTED, "abort", "lifecycle", missing.get(), now));
        continue;
      } else {
        continue; // restored before its versions loaded: wait for them
      }
      rollout
          .tick(now)
          .ifPresent(
              decision -> {
                decision.judgement().ifPresent(j -> metrics.judged(model, j.verdict()));
                decide(model, decision);
              });
    }
  }

  private static Optional<String> missingVersion(RoutingTable table, RolloutSpec spec) {
    Optional<ModelRoutes> routes = table.model(spec.model()).filter(ModelRoutes::wanted);
    for (long version : List.of(spec.stable(), spec.candidate())) {
      if (routes.flatMap(r -> r.readyVersion(version)).isEmpty()) {
        String role = version == spec.candidate() ? "candidate" : "stable";
        return Optional.of(
            role + " " + RoutedVersion.label(spec.model(), version) + " was unloaded");
      }
    }
    return Optional.empty();
  }

  /** Applies a decision's effect on routing, logs it once, keeps it and stores the state. */
  private void decide(String model, Decision decision) {
    Rollout rollout = rollouts.get(model);
    if (rollout != null && !decision.kind().equals("policy")) {
      RolloutStatus status = rollout.status();
      switch (status.state()) {
        case PROMOTED ->
            policies.put(model, TrafficPolicy.pinned(model, status.spec().candidate()));
        case ROLLED_BACK ->
            policies.put(model, TrafficPolicy.pinned(model, status.spec().stable()));
        case ABORTED -> {
          if (decision.reason().startsWith("stable ")) {
            policies.remove(model);
          } else {
            policies.put(model, TrafficPolicy.pinned(model, status.spec().stable()));
          }
        }
        default -> {}
      }
    }
    history.computeIfAbsent(model, m -> new ArrayList<>()).add(decision);
    LOG.info(
        "model '{}': {} by {} (stable {}, candidate {}, step {}, weight {} %): {}",
        model,
        decision.kind(),
        decision.by(),
        decision.stable(),
        decision.candidate(),
        decision.step() + 1,
        decision.weight(),
        decision.reason());
    publishRouters();
    store.save(snapshot());
  }

  private void publishRouters() {
    Map<String, VersionRouter> next = new HashMap<>();
    policies.forEach((model, policy) -> next.put(model, new PolicyRouter(model, policy)));
    rollouts.forEach(
        (model, rollout) -> {
          RolloutStatus status = rollout.status();
          if (!status.state().finished()) {
            next.put(model, new PolicyRouter(model, canaryPolicy(status)));
          }
        });
    routers = Map.copyOf(next);
  }

  private static TrafficPolicy canaryPolicy(RolloutStatus status) {
    RolloutSpec spec = status.spec();
    List<Variant> split = new ArrayList<>();
    if (status.weight() < 100) {
      split.add(new Variant(spec.model(), spec.stable(), 100 - status.weight()));
    }
    split.add(new Variant(spec.model(), spec.candidate(), status.weight()));
    if (status.weight() == 100) {
      // every request goes to the candidate; a failure still falls back to the stable version
      split.add(0, new Variant(spec.model(), spec.stable(), 0));
    }
    return new TrafficPolicy(split, true, Optional.empty(), true);
  }

  private synchronized RoutingState snapshot() {
    Map<String, RolloutStatus> statuses = new HashMap<>();
    rollouts.forEach((model, rollout) -> statuses.put(model, rollout.status()));
    Map<String, List<Decision>> decisions = new HashMap<>();
    history.forEach((model, list) -> decisions.put(model, List.copyOf(list)));
    return new RoutingState(policies, statuses, decisions);
  }

  // ---- recording (request threads)

  @Override
  public void answered(
      String model,
      String variant,
      long latencyNanos,
      List<Tensor> outputs,
      Optional<String> requestId) {
    metrics.answered(model, variant, latencyNanos);
    Rollout rollout = rollouts.get(model);
    if (rollout != null) {
      rollout
          .window(variant)
          .ifPresent(window -> window.answered(latencyNanos / 1e9, values(outputs)));
    }
    if (requestId.isPresent() && !outputs.isEmpty()) {
      feedback.remember(model, requestId.get(), variant, prediction(outputs.get(0)));
    }
  }

  @Override
  public void failed(String model, String variant, long latencyNanos, ErrorCode code) {
    metrics.failed(model, variant, latencyNanos, code);
    Rollout rollout = rollouts.get(model);
    if (rollout != null) {
      rollout.window(variant).ifPresent(VariantWindow::failed);
    }
  }

  @Override
  public void shadowed(String model, String variant, ShadowDiff diff) {
    metrics.shadowed(model, variant, diff);
    shadows.record(model, variant, diff);
  }

  @Override
  public void shadowDropped(String model, String variant) {
    metrics.shadowDropped(model, variant);
    shadows.dropped(model, variant);
  }

  private static Map<String, double[]> values(List<Tensor> outputs) {
    Map<String, double[]> values = new HashMap<>();
    for (Tensor output : outputs) {
      double[] elements = ShadowDiff.Numbers.values(output);
      if (elements != null) {
        values.put(output.name(), elements);
      }
    }
    return values;
  }

  /** What an answer predicted: the arg-max of a vector's first row, else its first value. */
  private static double prediction(Tensor output) {
    double[] elements = ShadowDiff.Numbers.values(output);
    if (elements == null || elements.length == 0) {
      return Double.NaN;
    }
    int width = output.rank() == 0 ? 1 : (int) output.shape()[output.rank() - 1];
    if (width <= 1) {
      return elements[0];
    }
    int best = 0;
    for (int i = 1; i < Math.min(width, elements.length); i++) {
      if (elements[i] > elements[best]) {
        best = i;
      }
    }
    return best;
  }

  // ---- gauges

  double weightOf(String model) {
    Rollout rollout = rollouts.get(model);
    return rollout == null ? 0 : rollout.status().weight();
  }

  RolloutState stateOf(String model) {
    Rollout rollout = rollouts.get(model);
    return rollout == null ? null : rollout.status().state();
  }

  // ---- checks

  private ModelRoutes requireKnown(String model) {
    return tables
        .get()
        .model(model)
        .orElseThrow(
            () ->
                new InferenceException(ErrorCode.NOT_FOUND, "model '" + model + "' is not found"));
  }

  private void requireNoRunningRollout(String model, String action) {
    Rollout rollout = rollouts.get(model);
    if (rollout != null && !rollout.status().state().finished()) {
      throw new InferenceException(
          ErrorCode.FAILED_PRECONDITION,
          "model '"
              + model
              + "' has a running rollout of version "
              + rollout.status().spec().candidate()
              + " (step "
              + (rollout.status().step() + 1)
              + "); promote or abort it before you "
              + action);
    }
  }

  private static void requireReady(ModelRoutes routes, long version, String role) {
    if (routes.readyVersion(version).isEmpty()) {
      throw new InferenceException(
          ErrorCode.NOT_FOUND,
          role
              + " "
              + RoutedVersion.label(routes.name(), version)
              + " is not ready (ready versions: "
              + routes.ready().stream().map(RoutedVersion::version).toList()
              + ")");
    }
  }

  private Rollout rollout(String model) {
    Rollout rollout = rollouts.get(model);
    if (rollout == null) {
      requireKnown(model);
      throw new InferenceException(ErrorCode.NOT_FOUND, "model '" + model + "' has no rollout");
    }
    return rollout;
  }

  private Rollout running(String model) {
    Rollout rollout = rollout(model);
    if (rollout.status().state().finished()) {
      throw new InferenceException(
          ErrorCode.FAILED_PRECONDITION,
          "model '"
              + model
              + "' has no running rollout (the latest is "
              + rollout.status().state()
              + ")");
    }
    return rollout;
  }

  @Override
  public synchronized void close() {
    if (judge != null) {
      judge.shutdownNow();
    }
  }
}
