package dev.infera.batch;

import dev.infera.core.ServerMetadata;
import dev.infera.core.engine.ServingEngine;
import dev.infera.core.lifecycle.BackendRegistry;
import dev.infera.core.lifecycle.BatchingSchedulerFactory;
import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.core.lifecycle.InstanceCount;
import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.core.lifecycle.ModelManager;
import dev.infera.core.lifecycle.VersionStatus;
import dev.infera.core.metrics.MetricNames;
import dev.infera.core.repository.LocalModelRepository;
import dev.infera.core.resilience.BreakerSettings;
import dev.infera.core.routing.Router;
import dev.infera.core.scheduling.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The serving engine in this process, without endpoints, for {@code infera batch}: the same
 * repository loading, configuration, scheduler (dynamic batching, circuit breaker) and backends as
 * {@code infera serve}, with one model loaded. Closing it unloads the model and stops the backends.
 */
public final class LocalEngine implements AutoCloseable {
  private final BackendRegistry backends;
  private final ModelManager manager;
  private final Router router;
  private final ServingEngine engine;
  private final MeterRegistry meters;

  private LocalEngine(BackendRegistry backends, ModelManager manager, MeterRegistry meters) {
    this.backends = backends;
    this.meters = meters;
    this.manager = manager;
    this.router = Router.highestReady(manager::routingTable);
    this.engine =
        new ServingEngine(
            router,
            manager::allReady,
            new ServerMetadata("infera", "batch", List.of()),
            System::nanoTime);
    manager.runPipelineStepsWith(engine.stepInvoker());
  }

  /**
   * Loads one model of a repository.
   *
   * @throws IllegalArgumentException when the repository is missing or the model does not load
   *     (with the reason)
   */
  public static LocalEngine load(Path repository, String model) {
    return load(repository, model, InstanceCount.configured());
  }

  /**
   * Loads one model of a repository with its instances counted so ({@code infera batch
   * --instances}: a fixed count per instance group, or as many as fill the cores).
   *
   * @throws IllegalArgumentException when the repository is missing or the model does not load
   *     (with the reason)
   */
  public static LocalEngine load(Path repository, String model, InstanceCount instances) {
    if (!Files.isDirectory(repository)) {
      throw new IllegalArgumentException("--model-repository '" + repository + "' is not a folder");
    }
    BackendRegistry backends = BackendRegistry.discover();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ModelManager manager =
        new ModelManager(
            new LocalModelRepository(repository),
            backends,
            new BatchingSchedulerFactory(
                Ticker.system(),
                new BatchingSchedulerFactory.Guards(
                    meters, Clock.systemUTC(), BreakerSettings.DEFAULTS, Optional.empty())),
            meters,
            ManagerOptions.defaults()
                .withControl(ControlOptions.explicit(List.of(model)))
                .withInstanceCount(instances));
    try {
      if (!manager.load(model)) {
        String reasons =
            manager.statuses(model).stream()
                .map(VersionStatus::reason)
                .filter(reason -> !reason.isEmpty())
                .collect(Collectors.joining("; "));
        throw new IllegalArgumentException(
            "model '"
                + model
                + "' did not load from '"
                + repository
                + "'"
                + (reasons.isEmpty() ? "" : ": " + reasons));
      }
    } catch (RuntimeException e) {
      manager.close();
      backends.close();
      throw e;
    }
    return new LocalEngine(backends, manager, meters);
  }

  /** The rows this engine's models have scored so far (Triton's inference count). */
  public long rowsScored() {
    return (long)
        meters.find(MetricNames.INFERENCE_COUNT).counters().stream()
            .mapToDouble(Counter::count)
            .sum();
  }

  /**
   * The instances the model's served version runs, all instance groups together (as loaded, after
   * {@code --instances}).
   */
  public int instances(String model) {
    return InstanceCount.instancesOf(engine.modelConfig(model, Optional.empty()));
  }

  public ModelAccess access() {
    return new ModelAccess(router, engine);
  }

  @Override
  public void close() {
    engine.stopAccepting();
    manager.close();
    backends.close();
    engine.markStopped();
  }
}
