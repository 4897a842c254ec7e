package dev.infera.core.metrics;

import dev.infera.spi.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The meters of one model version. Created when the version loads, removed from the registry when
 * it unloads. Thread-safe: meters are Micrometer's concurrent meters.
 */
public final class VersionMetrics implements AutoCloseable {
  private static final Duration[] TIME_BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private static final String INFERENCE_PREFIX = "infera.inference.";

  private final MeterRegistry registry;
  private final String model;
  private final String version;
  private final Tags tags;
  private final Counter success;
  private final Map<ErrorCode, Counter> failures = new EnumMap<>(ErrorCode.class);
  private final Counter inferences;
  private final Counter executions;
  private final Counter busy;
  private final Counter cpu;
  private final Timer requestDuration;
  private final Timer queueDuration;
  private final Timer computeDuration;
  private final DistributionSummary batchSize;
  private final AtomicReference<IntSupplier> queueDepthSource = new AtomicReference<>(() -> 0);
  private final AtomicReference<IntSupplier> inflightSource = new AtomicReference<>(() -> 0);
  private final VersionStatistics statistics;
  private boolean gaugesBound;

  /** Meters whose statistics read {@code last_inference} from the system clock. */
  public VersionMetrics(MeterRegistry registry, String model, String version) {
    this(registry, model, version, System::currentTimeMillis);
  }

  /**
   * @param epochMillis the wall clock for the statistics' {@code last_inference}
   */
  public VersionMetrics(
      MeterRegistry registry, String model, String version, LongSupplier epochMillis) {
    this.registry = registry;
    this.statistics = new VersionStatistics(model, version, epochMillis);
    this.model = model;
    this.version = version;
    this.tags = Tags.of(MetricNames.TAG_MODEL, model, MetricNames.TAG_VERSION, version);
    this.success = counter(MetricNames.REQUEST_SUCCESS, "Requests answered successfully", tags);
    for (ErrorCode code : ErrorCode.values()) {
      failures.put(
          code,
          counter(
              MetricNames.REQUEST_FAILURE,
              "Requests that failed, by reason",
              tags.and(MetricNames.TAG_REASON, code.name().toLowerCase(Locale.ROOT))));
    }
    this.inferences = counter(MetricNames.INFERENCE_COUNT, "Inferences (batch rows)", tags);
    this.executions = counter(MetricNames.EXECUTION_COUNT, "Model executions (batches)", tags);
    this.busy =
        Counter.builder(MetricNames.EXECUTION_BUSY)
            .description("Time instances spent executing batches")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry);
    this.cpu =
        Counter.builder(MetricNames.MODEL_CPU)
            .description("CPU time of the threads executing this version's batches")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry);
    this.requestDuration = timer(MetricNames.REQUEST_DURATION, "Time from arrival to answer");
    this.queueDuration = timer(MetricNames.QUEUE_DURATION, "Time waiting in the queue");
    this.computeDuration = timer(MetricNames.COMPUTE_DURATION, "Time executing the batch");
    this.batchSize =
        DistributionSummary.builder(MetricNames.BATCH_SIZE)
            .description("Rows in each executed batch")
            .baseUnit("rows")
            .serviceLevelObjectives(BATCH_BUCKETS)
            .tags(tags)
            .register(registry);
  }

  private Counter counter(String name, String description, Tags counterTags) {
    return Counter.builder(name).description(description).tags(counterTags).register(registry);
  }

  private Timer timer(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .serviceLevelObjectives(TIME_BUCKETS)
        .tags(tags)
        .register(registry);
  }

  /** The model these meters are tagged with. */
  public String model() {
    return model;
  }

  /** The version these meters are tagged with. */
  public String version() {
    return version;
  }

  /**
   * Registers the queue-depth and in-flight gauges, read from the scheduler. Called again (for a
   * version reloaded under the same number, which shares these meters), the gauges read the new
   * scheduler.
   */
  public synchronized void bindGauges(IntSupplier queueDepth, IntSupplier inflight) {
    queueDepthSource.set(queueDepth);
    inflightSource.set(inflight);
    if (gaugesBound) {
      return;
    }
    gaugesBound = true;
    io.micrometer.core.instrument.Gauge.builder(
            MetricNames.QUEUE_DEPTH, queueDepthSource, source -> source.get().getAsInt())
        .description("Requests waiting in the queue")
        .tags(tags)
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            MetricNames.INFLIGHT, inflightSource, source -> source.get().getAsInt())
        .description("Requests accepted and not yet answered")
        .tags(tags)
        .register(registry);
  }

  /** Triton's statistics of this version, fed by the same recordings as the meters. */
  public VersionStatistics statistics() {
    return statistics;
  }

  /** A request answered successfully by executing the model. */
  public void recordSuccess(long rows, Duration total, Duration queue, Duration compute) {
    recordSuccess(rows, total, queue, compute, false);
  }

  /**
   * A request answered successfully.
   *
   * @param fromCache whether the response cache answered it
   */
  public void recordSuccess(
      long rows, Duration total, Duration queue, Duration compute, boolean fromCache) {
    statistics.recordSuccess(rows, total.toNanos(), queue.toNanos(), compute.toNanos(), fromCache);
    success.increment();
    inferences.increment(rows);
    requestDuration.record(total);
    queueDuration.record(queue);
    computeDuration.record(compute);
  }

  /** A request that failed, by its error code. */
  public void recordFailure(ErrorCode code, Duration total) {
    statistics.recordFailure(total.toNanos());
    failures.get(code).increment();
    requestDuration.record(total);
  }

  /**
   * One execution of a batch of {@code rows} rows, which kept an instance busy {@code
   * computeNanos}.
   */
  public void recordExecution(int rows, long computeNanos) {
    statistics.recordExecution(rows, computeNanos);
    executions.increment();
    busy.increment(computeNanos / 1e9);
    batchSize.record(rows);
  }

  /** CPU time an executing thread spent on one batch, in nanoseconds. */
  public void recordCpu(long cpuNanos) {
    cpu.increment(cpuNanos / 1e9);
  }

  /** Removes this version's meters from the registry (not the lifecycle meters of the version). */
  @Override
  public void close() {
    registry.getMeters().stream()
        .filter(meter -> meter.getId().getName().startsWith(INFERENCE_PREFIX))
        .filter(
            meter ->
                tags.stream()
                    .allMatch(tag -> tag.getValue().equals(meter.getId().getTag(tag.getKey()))))
        .forEach(registry::remove);
    registry.remove(cpu);
  }
}
