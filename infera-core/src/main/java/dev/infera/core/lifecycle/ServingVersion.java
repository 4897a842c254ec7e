package dev.infera.core.lifecycle;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.contract.ModelInterface;
import dev.infera.core.contract.RequestValidator;
import dev.infera.core.metrics.VersionMetrics;
import dev.infera.core.resilience.CircuitState;
import dev.infera.core.routing.RoutedVersion;
import dev.infera.core.scheduling.ElasticInstances;
import dev.infera.core.scheduling.InstanceScaling;
import dev.infera.core.scheduling.Scheduler;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model version and everything it owns: the backend's model, its instances, its
 * scheduler and its meters. Its state is written by the {@link ModelManager} only and read by any
 * thread.
 *
 * <p>Leases: a request holds a lease from routing until its execution completes ({@link
 * dev.infera.core.routing.Router#acquire}, {@link #release}). Retiring a version ({@link
 * #drainAndClose}) refuses new leases at once, waits for the held ones, then stops the scheduler
 * and frees the resources, so a request routed just before a swap is never refused by a stopped
 * scheduler.
 */
public final class ServingVersion implements RoutedVersion {
  private static final Logger LOG = LoggerFactory.getLogger(ServingVersion.class);

  private final String model;
  private final long version;
  private final ModelConfig config;
  private final ModelInterface contract;
  private final RequestValidator validator;
  private final LoadedModel loaded;
  private final List<ModelInstance> instances;
  private final Scheduler scheduler;
  private final Optional<ElasticInstances> elastic;
  private final Optional<InstanceScaling> scaling;
  private final AtomicInteger instancesMade;
  private final Supplier<CircuitState> circuit;
  private final VersionMetrics metrics;
  private final Runnable releaseMetrics;
  private final VersionSource source;
  private final Map<String, List<String>> outputLabels;
  private final Set<String> dependsOn;
  private final BooleanSupplier dependenciesReady;
  private final AtomicLong leases = new AtomicLong();
  private final CompletableFuture<Void> released = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile boolean retiring;
  private volatile ModelState state = ModelState.LOADING;

  ServingVersion(
      String model,
      long version,
      ModelConfig config,
      LoadedModel loaded,
      List<ModelInstance> instances,
      VersionScheduler scheduler,
      Optional<InstanceScaling> scaling,
      VersionMetrics metrics,
      Runnable releaseMetrics,
      VersionSource source) {
    this(
        model,
        version,
        config,
        loaded,
        instances,
        scheduler,
        scaling,
        metrics,
        releaseMetrics,
        source,
        Set.of(),
        () -> true);
  }

  /**
   * @param dependsOn the models an ensemble's steps call; empty for a model
   * @param dependenciesReady whether each of them has a ready version now
   */
  ServingVersion(
      String model,
      long version,
      ModelConfig config,
      LoadedModel loaded,
      List<ModelInstance> instances,
      VersionScheduler scheduler,
      Optional<InstanceScaling> scaling,
      VersionMetrics metrics,
      Runnable releaseMetrics,
      VersionSource source,
      Set<String> dependsOn,
      BooleanSupplier dependenciesReady) {
    this.dependsOn = Set.copyOf(dependsOn);
    this.dependenciesReady = dependenciesReady;
    this.model = model;
    this.version = version;
    this.config = config;
    this.contract = ModelInterface.of(config);
    this.validator =
        new RequestValidator(
            label(model, version),
            contract,
            (int) Math.min(Integer.MAX_VALUE, config.getDynamicBatching().getPriorityLevels()),
            loaded.acceptedNonFinite());
    this.loaded = loaded;
    this.instances = new CopyOnWriteArrayList<>(instances);
    this.instancesMade = new AtomicInteger(instances.size());
    this.scheduler = scheduler.scheduler();
    this.elastic = scheduler.elastic();
    this.scaling = scaling;
    this.circuit = scheduler.circuit();
    this.metrics = metrics;
    this.releaseMetrics = releaseMetrics;
    this.source = source;
    this.outputLabels =
        OutputLabels.read(model, config, Path.of(source.files().folder()).getParent());
  }

  @Override
  public Map<String, List<String>> outputLabels() {
    return outputLabels;
  }

  /** How messages name a version: {@code model 'x' version '1'}. */
  public static String label(String model, long version) {
    return RoutedVersion.label(model, version);
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public ModelInterface contract() {
    return contract;
  }

  @Override
  public RequestValidator validator() {
    return validator;
  }

  @Override
  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public VersionMetrics metrics() {
    return metrics;
  }

  @Override
  public boolean dependenciesReady() {
    return dependenciesReady.getAsBoolean();
  }

  /** The models an ensemble's steps call; empty for a model. */
  public Set<String> dependsOn() {
    return dependsOn;
  }

  public ModelState state() {
    return state;
  }

  @Override
  public boolean isReady() {
    return state == ModelState.READY;
  }

  @Override
  public CircuitState circuitState() {
    return circuit.get();
  }

  /** What this version was loaded from: its configuration as given and its files. */
  VersionSource source() {
    return source;
  }

  /** The instances, for warmup before the version serves. */
  List<ModelInstance> instances() {
    return List.copyOf(instances);
  }

  /** The model's instance autoscaling, when its parameters ask for it. */
  Optional<InstanceScaling> scaling() {
    return scaling;
  }

  /** The scheduler behind the decorators, when its instances can change while it serves. */
  Optional<ElasticInstances> elastic() {
    return elastic;
  }

  /**
   * Creates one more instance of the model, owned (and closed) by this version like the first ones;
   * the caller warms it and hands it to the scheduler.
   */
  ModelInstance newInstance() {
    ModelInstance instance = loaded.newInstance(instancesMade.getAndIncrement());
    instances.add(instance);
    return instance;
  }

  /** Closes an instance whose scheduler thread has ended. */
  void closeInstance(ModelInstance instance) {
    if (instances.remove(instance)) {
      try {
        instance.close();
      } catch (RuntimeException e) {
        LOG.warn("{}: instance failed to close: {}", label(model, version), e.toString());
      }
    }
  }

  void markReady() {
    state = ModelState.READY;
  }

  /**
   * Takes a lease for one request; false once the version is retiring (the caller routes again).
   */
  @Override
  public boolean tryAcquire() {
    leases.incrementAndGet();
    if (retiring) {
      release();
      return false;
    }
    return true;
  }

  @Override
  public void release() {
    if (leases.decrementAndGet() == 0 && retiring) {
      released.complete(null);
    }
  }

  /**
   * Stops routing to this version, waits for the requests holding a lease, lets its accepted
   * requests finish, then frees its instances, model and meters. Called after the version left the
   * published routing table.
   */
  CompletableFuture<Void> drainAndClose() {
    state = ModelState.UNLOADING;
    retiring = true;
    if (leases.get() == 0) {
      released.complete(null);
    }
    released
        .thenCompose(ignored -> scheduler.stop())
        .whenComplete(
            (ignored, failure) -> {
              closeResources();
              state = ModelState.UNAVAILABLE;
              closed.complete(null);
            });
    return closed;
  }

  /** Completes once the version was drained and its resources freed. */
  CompletableFuture<Void> closed() {
    return closed;
  }

  /** Frees resources of a version that never served (a failed load). */
  void closeResources() {
    for (ModelInstance instance : List.copyOf(instances)) {
      closeInstance(instance);
    }
    try {
      loaded.close();
    } catch (RuntimeException e) {
      LOG.warn("{}: model failed to close: {}", label(model, version), e.toString());
    }
    releaseMetrics.run();
  }
}
