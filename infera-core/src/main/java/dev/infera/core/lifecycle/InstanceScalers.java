package dev.infera.core.lifecycle;

import dev.infera.core.metrics.MetricNames;
import dev.infera.core.scheduling.ElasticInstances;
import dev.infera.core.scheduling.InstanceScaling;
import dev.infera.core.scheduling.InstanceScalingPolicy;
import dev.infera.core.scheduling.InstanceScalingPolicy.Decision;
import dev.infera.spi.ModelInstance;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process instance autoscaling of every serving version whose model asks for it ({@link
 * InstanceScaling}): one thread looks at each such version four times a second, and adds an
 * instance (created by the backend, warmed with the model's warmup samples, then handed to the
 * scheduler) or retires the newest added one (its thread ends after its batch, then it is closed),
 * as {@link InstanceScalingPolicy} decides. The instances of every scaled version together stay
 * within a budget, the available processors by default; each change is logged and counted.
 *
 * <p>Threading: {@link #start} and {@link #stop} from the lifecycle's threads; the looks run on the
 * scaler's own thread.
 */
final class InstanceScalers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceScalers.class);
  private static final long LOOK_MILLIS = 250;

  private final MeterRegistry registry;
  private final int budget;
  private final LongSupplier nanoTime;
  private final Map<ServingVersion, Scaled> scaled = new ConcurrentHashMap<>();
  private final ScheduledExecutorService looks;

  /**
   * @param budget the most instances all scaled versions together may run
   */
  InstanceScalers(MeterRegistry registry, int budget, LongSupplier nanoTime) {
    if (budget < 1) {
      throw new IllegalArgumentException("instance budget " + budget + " (expected >= 1)");
    }
    this.registry = registry;
    this.budget = budget;
    this.nanoTime = nanoTime;
    this.looks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "infera-instance-scaler");
              thread.setDaemon(true);
              return thread;
            });
    looks.scheduleWithFixedDelay(this::lookAll, LOOK_MILLIS, LOOK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Starts scaling a version that became READY, when its model asks for it. */
  void start(ServingVersion version, Path modelDirectory) {
    if (version.scaling().isEmpty() || version.elastic().isEmpty()) {
      return;
    }
    scaled.computeIfAbsent(version, v -> new Scaled(v, modelDirectory));
  }

  /** Stops scaling a version that is retiring; its added instances close with it. */
  void stop(ServingVersion version) {
    Scaled gone = scaled.remove(version);
    if (gone != null) {
      gone.unregister();
    }
  }

  /** The instances all scaled versions run now. */
  int used() {
    int used = 0;
    for (Scaled s : scaled.values()) {
      used += s.elastic.instanceCount();
    }
    return used;
  }

  private void lookAll() {
    for (Scaled s : new ArrayList<>(scaled.values())) {
      try {
        s.look();
      } catch (RuntimeException e) { // one version's failure must not end the looks of the others
        LOG.warn("{}: instance autoscaling failed: {}", s.label, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    looks.shutdownNow();
    for (ServingVersion version : new ArrayList<>(scaled.keySet())) {
      stop(version);
    }
  }

  /** One scaled version: its policy, the instances it added (newest last) and its meters. */
  private final class Scaled {
    final ServingVersion version;
    final Path modelDirectory;
    final ElasticInstances elastic;
    final InstanceScalingPolicy policy;
    final String label;
    final Deque<ModelInstance> added = new ArrayDeque<>();
    final List<Meter> meters = new ArrayList<>();
    final Counter up;
    final Counter down;

    Scaled(ServingVersion version, Path modelDirectory) {
      this.version = version;
      this.modelDirectory = modelDirectory;
      this.elastic = version.elastic().orElseThrow();
      this.label = ServingVersion.label(version.model(), version.version());
      this.policy =
          new InstanceScalingPolicy(
              version.scaling().orElseThrow(), elastic.queueWaits(), nanoTime.getAsLong());
      Tags tags =
          Tags.of(
              MetricNames.TAG_MODEL,
              version.model(),
              MetricNames.TAG_VERSION,
              Long.toString(version.version()));
      meters.add(
          Gauge.builder(MetricNames.MODEL_INSTANCES, elastic, ElasticInstances::instanceCount)
              .description("Instances of the version taking work now")
              .tags(tags)
              .register(registry));
      this.up = counter(tags, "up");
      this.down = counter(tags, "down");
    }

    private Counter counter(Tags tags, String direction) {
      Counter counter =
          Counter.builder(MetricNames.INSTANCE_SCALING)
              .description("Instances added or removed by instance autoscaling")
              .tags(tags.and(MetricNames.TAG_DIRECTION, direction))
              .register(registry);
      meters.add(counter);
      return counter;
    }

    void look() {
      long now = nanoTime.getAsLong();
      int instances = elastic.instanceCount();
      Decision decision = policy.look(elastic.queueWaits(), now, instances, used() < budget);
      switch (decision) {
        case ADD -> add(instances);
        case REMOVE -> remove(instances);
        case NONE -> {}
      }
    }

    private void add(int instances) {
      double delayMs = policy.lastMeanDelayNanos() / 1e6;
      ModelInstance instance = version.newInstance();
      try {
        Warmup.run(version, modelDirectory, List.of(instance));
        elastic.addInstance(instance);
      } catch (RuntimeException e) {
        version.closeInstance(instance);
        throw e;
      }
      added.addLast(instance);
      up.increment();
      policy.restart(elastic.queueWaits(), nanoTime.getAsLong());
      LOG.info(
          "{}: mean queue delay {} ms over the window; instances {} -> {}",
          label,
          String.format("%.1f", delayMs),
          instances,
          instances + 1);
    }

    private void remove(int instances) {
      ModelInstance instance = added.pollLast();
      if (instance == null) {
        return; // only instances this scaler added are retired
      }
      elastic
          .retireInstance(instance)
          .whenComplete((ignored, failure) -> version.closeInstance(instance));
      down.increment();
      policy.restart(elastic.queueWaits(), nanoTime.getAsLong());
      LOG.info("{}: load stayed low; instances {} -> {}", label, instances, instances - 1);
    }

    void unregister() {
      meters.forEach(registry::remove);
    }
  }
}
