package dev.infera.core.lifecycle;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.contract.ModelInterface;
import dev.infera.core.metrics.VersionMetrics;
import dev.infera.core.pipeline.Pipeline;
import dev.infera.core.pipeline.PipelineCheck;
import dev.infera.core.pipeline.PipelineMeters;
import dev.infera.core.pipeline.PipelineScheduler;
import dev.infera.core.pipeline.StepInvoker;
import dev.infera.core.repository.ModelSource;
import dev.infera.core.routing.ModelRoutes;
import dev.infera.core.routing.RoutedVersion;
import dev.infera.core.routing.Router;
import dev.infera.core.routing.RoutingTable;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.ModelSignature;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Turns an ensemble's configuration ({@code platform: "ensemble"}) into a serving version whose
 * scheduler is a {@link PipelineScheduler}: checks the DAG on its own and against the step models
 * loaded now, and owns the timer thread of step timeouts. Called by {@link ModelManager} under the
 * model's lock; the invoker is bound once the engine exists.
 */
final class EnsembleLoader implements AutoCloseable {
  private final VersionMetricsPool metrics;
  private final MeterRegistry registry;
  private final Supplier<RoutingTable> table;
  private final Tracer tracer;
  private final AtomicReference<StepInvoker> invoker = new AtomicReference<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "infera-pipeline-timer");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param tracer builds the step spans of traced ensemble requests; null when the server does not
   *     trace
   */
  EnsembleLoader(
      VersionMetricsPool metrics,
      MeterRegistry registry,
      Supplier<RoutingTable> table,
      Tracer tracer) {
    this.metrics = metrics;
    this.registry = registry;
    this.table = table;
    this.tracer = tracer;
  }

  void bind(StepInvoker engine) {
    invoker.set(engine);
  }

  /** The models an ensemble's steps call, when the configuration is an ensemble's. */
  static List<String> dependencies(ModelConfig config, String model) {
    return List.copyOf(Pipeline.of(config, model).models());
  }

  /**
   * @throws InferenceException INVALID_ARGUMENT listing every problem, each naming the step and
   *     tensor
   */
  ServingVersion load(ModelSource source, ModelConfig config, long version, Path directory) {
    Pipeline pipeline = Pipeline.of(config, source.name());
    ModelInterface ensemble;
    try {
      ensemble = ModelInterface.of(config);
    } catch (IllegalArgumentException e) {
      throw new InferenceException(
          dev.infera.spi.ErrorCode.INVALID_ARGUMENT,
          "ensemble '" + source.name() + "': " + e.getMessage());
    }
    Map<Integer, ModelInterface> steps = PipelineCheck.check(pipeline, ensemble, this::contract);
    String versionText = Long.toString(version);
    VersionMetrics meters = metrics.acquire(source.name(), versionText);
    PipelineScheduler scheduler =
        new PipelineScheduler(
            pipeline,
            steps,
            this::invoke,
            timer,
            System::nanoTime,
            new PipelineMeters(registry, source.name(), versionText),
            tracer);
    return new ServingVersion(
        source.name(),
        version,
        config,
        new NoModel(),
        List.of(),
        VersionScheduler.unguarded(scheduler),
        Optional.empty(),
        meters,
        () -> metrics.release(source.name(), versionText),
        new VersionSource(config, VersionFingerprint.of(directory)),
        pipeline.models(),
        () ->
            pipeline.steps().stream()
                .allMatch(step -> contract(step.model(), step.version()).isPresent()));
  }

  private CompletableFuture<dev.infera.core.InferenceResponse> invoke(
      dev.infera.core.InferenceRequest request) {
    StepInvoker engine = invoker.get();
    if (engine == null) {
      return CompletableFuture.failedFuture(
          InferenceException.unavailable("ensembles are not served by this engine"));
    }
    return engine.invoke(request);
  }

  /** The interface of a model's ready version (the named one, else the highest). */
  private Optional<ModelInterface> contract(String model, Optional<String> version) {
    Optional<ModelRoutes> routes = table.get().model(model);
    if (routes.isEmpty()) {
      return Optional.empty();
    }
    Optional<RoutedVersion> ready =
        version.isPresent()
            ? routes.get().readyVersion(Router.parseVersion(model, version.get()))
            : routes.get().highestReady();
    return ready.map(RoutedVersion::contract);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** An ensemble runs no model file of its own. */
  private static final class NoModel implements LoadedModel {
    @Override
    public ModelSignature signature() {
      return new ModelSignature(List.of(), List.of());
    }

    @Override
    public ModelInstance newInstance(int index) {
      throw new IllegalStateException("an ensemble has no instances");
    }

    @Override
    public void close() {}
  }
}
