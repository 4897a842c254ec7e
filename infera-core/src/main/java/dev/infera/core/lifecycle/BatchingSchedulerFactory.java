package dev.infera.core.lifecycle;

import dev.infera.core.cache.ResponseCache;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelDynamicBatching;
import dev.infera.core.config.proto.ModelQueuePolicy;
import dev.infera.core.metrics.MetricNames;
import dev.infera.core.metrics.VersionMetrics;
import dev.infera.core.resilience.BreakerSettings;
import dev.infera.core.resilience.CircuitBreakingScheduler;
import dev.infera.core.resilience.CircuitState;
import dev.infera.core.resilience.VersionBreaker;
import dev.infera.core.scheduling.BatchPolicy;
import dev.infera.core.scheduling.DynamicBatchScheduler;
import dev.infera.core.scheduling.QueuePolicy;
import dev.infera.core.scheduling.Scheduler;
import dev.infera.core.scheduling.SchedulerListener;
import dev.infera.core.scheduling.Ticker;
import dev.infera.core.tracing.VersionTracer;
import dev.infera.spi.ModelInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.api.trace.Tracer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a {@link DynamicBatchScheduler} for each version from its configuration's {@code
 * max_batch_size} and {@code dynamic_batching}, recording into the version's meters. A model
 * without {@code dynamic_batching} executes one request at a time per instance. With {@link
 * Guards}, each scheduler is wrapped in the version's circuit breaker and, where the model enables
 * it, the response cache (docs/resilience.md).
 */
public final class BatchingSchedulerFactory implements SchedulerFactory {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingSchedulerFactory.class);

  private final Ticker ticker;
  private final Guards guards;
  private final Tracer tracer;

  /**
   * What guards each version's scheduler: a circuit breaker (unless the model turns it off) and,
   * for models with {@code response_cache { enable: true }}, the server's response cache.
   *
   * @param registry where breaker and cache meters go (the registry of the version meters)
   * @param clock the breaker's clock
   * @param breakerDefaults the breaker settings a model's {@code circuit_breaker_*} parameters
   *     start from
   * @param cache the server's response cache; empty without {@code --cache-config}
   */
  public record Guards(
      MeterRegistry registry,
      Clock clock,
      BreakerSettings breakerDefaults,
      Optional<ResponseCache> cache) {}

  /** A factory of unguarded schedulers: no circuit breaker, no response cache. */
  public BatchingSchedulerFactory(Ticker ticker) {
    this(ticker, null, null);
  }

  public BatchingSchedulerFactory(Ticker ticker, Guards guards) {
    this(ticker, guards, null);
  }

  /**
   * @param tracer records the executions of traced requests (docs/observability.md); null for a
   *     server that does not trace
   */
  public BatchingSchedulerFactory(Ticker ticker, Guards guards, Tracer tracer) {
    this.ticker = ticker;
    this.guards = guards;
    this.tracer = tracer;
  }

  @Override
  public Optional<Tracer> tracer() {
    return Optional.ofNullable(tracer);
  }

  @Override
  public VersionScheduler create(
      String label, ModelConfig config, List<ModelInstance> instances, VersionMetrics metrics) {
    BreakerSettings breaker =
        guards == null ? null : BreakerSettings.of(config, guards.breakerDefaults());
    DynamicBatchScheduler scheduler =
        DynamicBatchScheduler.start(
            label,
            instances,
            policyOf(config),
            ticker,
            listener(metrics),
            tracer == null
                ? VersionTracer.OFF
                : new VersionTracer(
                    tracer,
                    guards == null ? Clock.systemUTC() : guards.clock(),
                    metrics.model(),
                    metrics.version()));
    metrics.bindGauges(scheduler::queueDepth, scheduler::inflightCount);
    return (guards == null
            ? VersionScheduler.unguarded(scheduler)
            : guarded(label, config, metrics, breaker, scheduler))
        .withElastic(scheduler);
  }

  /** The scheduler behind its circuit breaker, behind the response cache (a hit skips both). */
  private VersionScheduler guarded(
      String label,
      ModelConfig config,
      VersionMetrics metrics,
      BreakerSettings breaker,
      Scheduler scheduler) {
    Tags tags =
        Tags.of(MetricNames.TAG_MODEL, metrics.model(), MetricNames.TAG_VERSION, metrics.version());
    Scheduler guarded = scheduler;
    Supplier<CircuitState> circuit = () -> CircuitState.DISABLED;
    if (breaker.enabled()) {
      VersionBreaker versionBreaker =
          new VersionBreaker(label, breaker, guards.clock(), guards.registry(), tags);
      guarded = new CircuitBreakingScheduler(guarded, versionBreaker, ticker);
      circuit = versionBreaker::state;
    }
    if (config.getResponseCache().getEnable()) {
      if (guards.cache().isPresent()) {
        guarded =
            guards
                .cache()
                .get()
                .wrap(
                    metrics.model(),
                    metrics.version(),
                    tags,
                    guarded,
                    ticker,
                    (hit, nanos) -> {
                      if (hit) {
                        metrics.statistics().recordCacheHit(nanos);
                      } else {
                        metrics.statistics().recordCacheMiss(nanos);
                      }
                    });
      } else {
        LOG.warn(
            "{}: response_cache is enabled but the server has no cache"
                + " (--cache-config local,size=BYTES); serving without one",
            label);
      }
    }
    return new VersionScheduler(guarded, circuit);
  }

  /** The batching policy a configuration asks for. */
  static BatchPolicy policyOf(ModelConfig config) {
    int maxBatchSize = config.getMaxBatchSize();
    if (!config.hasDynamicBatching() || maxBatchSize == 0) {
      return BatchPolicy.disabled(maxBatchSize);
    }
    ModelDynamicBatching batching = config.getDynamicBatching();
    Map<Integer, QueuePolicy> perLevel = new HashMap<>();
    batching
        .getPriorityQueuePolicyMap()
        .forEach((level, policy) -> perLevel.put(level.intValue(), queuePolicy(policy)));
    return new BatchPolicy(
        true,
        maxBatchSize,
        batching.getPreferredBatchSizeList(),
        Duration.ofNanos(batching.getMaxQueueDelayMicroseconds() * 1000),
        batching.getPreserveOrdering(),
        (int) batching.getPriorityLevels(),
        (int) batching.getDefaultPriorityLevel(),
        batching.hasDefaultQueuePolicy()
            ? queuePolicy(batching.getDefaultQueuePolicy())
            : QueuePolicy.DEFAULT,
        perLevel);
  }

  private static QueuePolicy queuePolicy(ModelQueuePolicy policy) {
    return new QueuePolicy(
        policy.getMaxQueueSize(),
        policy.getTimeoutAction() == ModelQueuePolicy.TimeoutAction.DELAY
            ? QueuePolicy.TimeoutAction.DELAY
            : QueuePolicy.TimeoutAction.REJECT,
        Duration.ofNanos(policy.getDefaultTimeoutMicroseconds() * 1000),
        policy.getAllowTimeoutOverride());
  }

  private static SchedulerListener listener(VersionMetrics metrics) {
    return new SchedulerListener() {
      @Override
      public void onBatchExecuted(int requests, int rows, long computeNanos) {
        metrics.recordExecution(rows, computeNanos);
      }

      @Override
      public void onBatchFailed(int requests, int rows, long computeNanos) {
        metrics.recordExecution(rows, computeNanos);
      }

      @Override
      public void onExecutionCpu(long cpuNanos) {
        metrics.recordCpu(cpuNanos);
      }
    };
  }
}
