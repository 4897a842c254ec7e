package dev.infera.core.pipeline;

import dev.infera.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The meters of one ensemble version's steps: {@link MetricNames#PIPELINE_STEP_DURATION} and {@link
 * MetricNames#PIPELINE_ANSWERS}, created on first use and removed by {@link #close}. Thread-safe.
 */
public final class PipelineMeters implements AutoCloseable {
  private final MeterRegistry registry;
  private final String model;
  private final String version;
  private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
  private final List<Meter> created = new CopyOnWriteArrayList<>();

  public PipelineMeters(MeterRegistry registry, String model, String version) {
    this.registry = registry;
    this.model = model;
    this.version = version;
  }

  void step(PipelineStep step, String outcome, Duration took) {
    timers
        .computeIfAbsent(
            List.of(Integer.toString(step.index()), step.model(), outcome),
            key -> {
              Timer timer =
                  Timer.builder(MetricNames.PIPELINE_STEP_DURATION)
                      .description("Pipeline step latency, from inputs ready to outputs")
                      .tag(MetricNames.TAG_MODEL, model)
                      .tag(MetricNames.TAG_VERSION, version)
                      .tag(MetricNames.TAG_STEP, key.get(0))
                      .tag(MetricNames.TAG_STEP_MODEL, key.get(1))
                      .tag(MetricNames.TAG_OUTCOME, key.get(2))
                      .register(registry);
              created.add(timer);
              return timer;
            })
        .record(took);
  }

  void answered(PipelineStep step, String answeredBy, long rows) {
    counters
        .computeIfAbsent(
            List.of(Integer.toString(step.index()), step.model(), answeredBy),
            key -> {
              Counter counter =
                  Counter.builder(MetricNames.PIPELINE_ANSWERS)
                      .description("Rows answered per pipeline step, by who answered them")
                      .tag(MetricNames.TAG_MODEL, model)
                      .tag(MetricNames.TAG_VERSION, version)
                      .tag(MetricNames.TAG_STEP, key.get(0))
                      .tag(MetricNames.TAG_STEP_MODEL, key.get(1))
                      .tag(MetricNames.TAG_ANSWERED_BY, key.get(2))
                      .register(registry);
              created.add(counter);
              return counter;
            })
        .increment(rows);
  }

  @Override
  public void close() {
    created.forEach(registry::remove);
  }
}
