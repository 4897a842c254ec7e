package dev.infera.core.lifecycle;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.metrics.LifecycleMetrics;
import dev.infera.core.pipeline.Pipeline;
import dev.infera.core.pipeline.StepInvoker;
import dev.infera.core.repository.ModelRepository;
import dev.infera.core.repository.ModelSource;
import dev.infera.core.routing.ModelRoutes;
import dev.infera.core.routing.RoutingTable;
import dev.infera.spi.Backend;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of what is loaded. Each model has a record holding its serving versions and, when
 * it failed as a whole (bad configuration, unknown backend), the reason.
 *
 * <p>Swaps: a load brings a model to what its repository folder (or a configuration override) says.
 * Versions whose configuration and files are unchanged keep serving untouched; new or changed ones
 * load and warm up beside the serving ones and are published together once READY; versions no
 * longer selected leave the routing table, finish the requests routed to them, then free their
 * resources. A version that fails to load or warm up leaves the one it would have replaced serving,
 * and the reason shows in the index, the log and {@code infera_model_load_failure_total}.
 *
 * <p>Threading: loads and unloads of one model are serialized on that model's record; reads ({@link
 * #routingTable}, {@link #index}) take no lock and see each record's latest published version map.
 */
public final class ModelManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelManager.class);

  private final ModelRepository repository;
  private final VersionLoader loader;
  private final LifecycleMetrics lifecycle;
  private final boolean strictReadiness;
  private final InstanceScalers scalers;
  private final EnsembleLoader ensembles;
  private final ThreadLocal<java.util.Set<String>> loadingChain =
      ThreadLocal.withInitial(java.util.HashSet::new);
  private final Map<String, ModelRecord> models = new ConcurrentHashMap<>();
  private volatile RoutingTable table = RoutingTable.EMPTY; // replaced under publishRoutes' lock

  public ModelManager(
      ModelRepository repository,
      BackendRegistry backends,
      SchedulerFactory schedulers,
      MeterRegistry meters,
      ManagerOptions options) {
    this.repository = repository;
    this.loader = new VersionLoader(backends, schedulers, meters, options);
    this.lifecycle =
        new LifecycleMetrics(
            meters, Arrays.stream(ModelState.values()).map(ModelState::name).toList());
    this.strictReadiness = options.strictReadiness();
    this.scalers = new InstanceScalers(meters, options.instanceBudget(), System::nanoTime);
    this.ensembles =
        new EnsembleLoader(
            loader.metricsPool(), meters, this::routingTable, schedulers.tracer().orElse(null));
  }

  /**
   * Lets ensembles run their steps: through the engine, so that each step is routed and queued like
   * a request to its model. Until it is called, ensemble requests fail UNAVAILABLE.
   */
  public void runPipelineStepsWith(StepInvoker engine) {
    ensembles.bind(engine);
  }

  /** The repository the models load from. */
  public ModelRepository repository() {
    return repository;
  }

  /** Loads every model of the repository; a model that fails is recorded UNAVAILABLE. */
  public void loadAll() {
    for (String name : repository.modelNames()) {
      load(name);
    }
  }

  /** Loads (or reloads) one model with the configuration of its repository folder. */
  public boolean load(String name) {
    return load(name, Optional.empty());
  }

  /**
   * Loads (or reloads) one model: the versions its version policy selects serve afterwards, each
   * loaded anew only when its configuration or files changed. A failure leaves the versions that
   * were serving in place.
   *
   * @param override a configuration to use instead of the folder's {@code config.pbtxt}
   * @return whether the model has at least one READY version afterwards
   */
  public boolean load(String name, Optional<ModelConfig> override) {
    ModelRecord record = models.computeIfAbsent(name, n -> new ModelRecord(n, this::publishRoutes));
    synchronized (record) {
      record.want(true);
      Optional<ModelSource> source = repository.find(name);
      if (source.isEmpty()) {
        String reason = "model '" + name + "' is not in the repository " + repository.location();
        record.failLoad(reason);
        lifecycle.recordLoadFailure(name, "");
        LOG.error("{}", reason);
        publishStates();
        return record.hasReady();
      }
      try {
        loadVersions(record, source.get(), override);
      } catch (InferenceException | IllegalArgumentException e) {
        record.failLoad(e.getMessage());
        lifecycle.recordLoadFailure(name, "");
        if (record.hasReady()) {
          LOG.error(
              "model '{}': the new load failed, the versions loaded before keep serving: {}",
              name,
              e.getMessage());
        } else {
          LOG.error("model '{}' is unavailable: {}", name, e.getMessage());
        }
      } finally {
        record.loading(java.util.Set.of());
        publishStates();
      }
      return record.hasReady();
    }
  }

  private void loadVersions(
      ModelRecord record, ModelSource source, Optional<ModelConfig> override) {
    ModelConfig config = loader.configOf(source, override);
    if (Pipeline.isEnsemble(config)) {
      loadEnsemble(record, source, config);
      return;
    }
    boolean configured = override.isPresent() || source.configText().isPresent();
    SortedMap<Long, Path> selected = loader.selectVersions(config, source);
    Map<Long, Path> toLoad = new LinkedHashMap<>();
    NavigableMap<Long, ServingVersion> next = new TreeMap<>();
    for (Map.Entry<Long, Path> entry : selected.entrySet()) {
      ServingVersion serving = record.versions.get(entry.getKey());
      if (serving != null
          && serving
              .source()
              .equals(new VersionSource(config, VersionFingerprint.of(entry.getValue())))) {
        next.put(entry.getKey(), serving);
      } else {
        toLoad.put(entry.getKey(), entry.getValue());
      }
    }
    Map<Long, String> failures = new TreeMap<>();
    if (!toLoad.isEmpty()) {
      Backend backend = loader.backendFor(config, source, selected.get(selected.firstKey()));
      record.loading(toLoad.keySet());
      publishStates();
      for (Map.Entry<Long, Path> entry : toLoad.entrySet()) {
        long number = entry.getKey();
        Optional<ServingVersion> loaded =
            loadOne(source, config, configured, backend, number, entry.getValue(), failures);
        ServingVersion fallback = record.versions.get(number);
        if (loaded.isPresent()) {
          next.put(number, loaded.get());
        } else if (fallback != null) {
          next.put(number, fallback);
        }
      }
    }
    if (next.values().stream().noneMatch(v -> v.state() == ModelState.READY)) {
      // Nothing selected could be made ready: what served keeps serving.
      next.putAll(record.versions);
    }
    List<ServingVersion> retired = new ArrayList<>();
    for (ServingVersion old : record.versions.values()) {
      if (next.get(old.version()) != old) {
        retired.add(old);
      }
    }
    record.publish(next, failures);
    retired.forEach(version -> retire(record, version));
  }

  /**
   * Loads an ensemble's version(s) after the models its steps call (as Triton does: loading an
   * ensemble loads its models); a version that fails leaves the one it would replace serving.
   */
  private void loadEnsemble(ModelRecord record, ModelSource source, ModelConfig config) {
    java.util.Set<String> chain = loadingChain.get();
    if (!chain.add(source.name())) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "ensemble '" + source.name() + "' calls itself through the ensembles " + chain);
    }
    try {
      for (String step : EnsembleLoader.dependencies(config, source.name())) {
        if (!chain.contains(step)
            && readyVersions(step).isEmpty()
            && repository.find(step).isPresent()) {
          load(step);
        }
      }
    } finally {
      chain.remove(source.name());
    }
    SortedMap<Long, Path> selected = loader.selectVersions(config, source);
    NavigableMap<Long, ServingVersion> next = new TreeMap<>();
    Map<Long, String> failures = new TreeMap<>();
    for (Map.Entry<Long, Path> entry : selected.entrySet()) {
      long number = entry.getKey();
      String label = ServingVersion.label(source.name(), number);
      long started = System.nanoTime();
      try {
        ServingVersion version = ensembles.load(source, config, number, entry.getValue());
        version.markReady();
        next.put(number, version);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        lifecycle.recordLoad(source.name(), Long.toString(number), took);
        LOG.info("{} is READY (ensemble of {})", label, version.dependsOn());
      } catch (InferenceException | IllegalArgumentException e) {
        failed(source.name(), number, failures, label + " failed to load: " + e.getMessage());
        ServingVersion serving = record.versions.get(number);
        if (serving != null) {
          next.put(number, serving);
        }
      }
    }
    if (next.isEmpty()) {
      next.putAll(record.versions);
    }
    List<ServingVersion> retired = new ArrayList<>();
    for (ServingVersion old : record.versions.values()) {
      if (next.get(old.version()) != old) {
        retired.add(old);
      }
    }
    record.publish(next, failures);
    retired.forEach(version -> retire(record, version));
  }

  /** The loaded ensembles whose steps call the model. */
  public List<String> dependents(String name) {
    List<String> dependents = new ArrayList<>();
    for (ModelRecord record : new TreeMap<>(models).values()) {
      if (record.wanted()
          && record.versions.values().stream().anyMatch(v -> v.dependsOn().contains(name))) {
        dependents.add(record.name);
      }
    }
    return dependents;
  }

  /** Loads and warms up one version; on failure records why and returns empty. */
  private Optional<ServingVersion> loadOne(
      ModelSource source,
      ModelConfig config,
      boolean configured,
      Backend backend,
      long number,
      Path directory,
      Map<Long, String> failures) {
    String label = ServingVersion.label(source.name(), number);
    long started = System.nanoTime();
    ServingVersion version;
    try {
      version = loader.load(source, config, configured, backend, number, directory);
    } catch (InferenceException | IllegalArgumentException e) {
      return failed(source.name(), number, failures, label + " failed to load: " + e.getMessage());
    }
    try {
      long warmupStarted = System.nanoTime();
      int executions = Warmup.run(version, source.directory());
      if (executions > 0) {
        Duration took = Duration.ofNanos(System.nanoTime() - warmupStarted);
        lifecycle.recordWarmup(source.name(), Long.toString(number), took);
        LOG.info("{} warmed up: {} executions in {} ms", label, executions, took.toMillis());
      }
    } catch (InferenceException | IllegalArgumentException e) {
      version.drainAndClose();
      return failed(source.name(), number, failures, e.getMessage());
    }
    version.markReady();
    scalers.start(version, source.directory());
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    lifecycle.recordLoad(source.name(), Long.toString(number), took);
    LOG.info("{} is READY ({} backend, {} ms)", label, backend.name(), took.toMillis());
    return Optional.of(version);
  }

  private Optional<ServingVersion> failed(
      String model, long number, Map<Long, String> failures, String reason) {
    failures.put(number, reason);
    lifecycle.recordLoadFailure(model, Long.toString(number));
    LOG.error("{}", reason);
    return Optional.empty();
  }

  /** Drains a version that left the routing table, then frees it and records the unload. */
  private CompletableFuture<Void> retire(ModelRecord record, ServingVersion version) {
    long started = System.nanoTime();
    record.draining(version, true);
    scalers.stop(version);
    return version
        .drainAndClose()
        .whenComplete(
            (ignored, failure) -> {
              record.draining(version, false);
              Duration took = Duration.ofNanos(System.nanoTime() - started);
              lifecycle.recordUnload(version.model(), Long.toString(version.version()), took);
              LOG.info(
                  "{} unloaded ({} ms)",
                  ServingVersion.label(version.model(), version.version()),
                  took.toMillis());
              publishStates();
            });
  }

  /**
   * Takes every version of a model out of routing, drains and unloads them; the model stays known
   * as not loaded, each version UNAVAILABLE with reason "unloaded".
   *
   * @return completes once every version's resources are freed
   * @throws InferenceException NOT_FOUND when the model was never loaded
   */
  public CompletableFuture<Void> unload(String name) {
    ModelRecord record = models.get(name);
    if (record == null) {
      throw new InferenceException(ErrorCode.NOT_FOUND, "model '" + name + "' is not loaded");
    }
    synchronized (record) {
      record.want(false);
      List<ServingVersion> retired = new ArrayList<>(record.versions.values());
      Map<Long, String> reasons = new TreeMap<>();
      retired.forEach(version -> reasons.put(version.version(), "unloaded"));
      record.publish(new TreeMap<>(), reasons);
      record.fail("unloaded");
      publishStates();
      return CompletableFuture.allOf(
          retired.stream()
              .map(version -> retire(record, version))
              .toArray(CompletableFuture[]::new));
    }
  }

  /** Unloads a model and forgets it, as when its folder left the repository. */
  public CompletableFuture<Void> forget(String name) {
    if (!models.containsKey(name)) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> drained = unload(name);
    models.remove(name);
    withdrawRoutes(name);
    publishStates();
    return drained;
  }

  /**
   * The latest published routing table: every known model's serving versions. A new table is
   * published whenever what serves changes; a swap publishes the new versions before it retires the
   * old ones.
   */
  public RoutingTable routingTable() {
    return table;
  }

  /** Whether the model is known to the manager (loaded, failed with a reason, or unloaded). */
  public boolean isKnown(String name) {
    return models.containsKey(name);
  }

  /** Whether the model should be loaded: loaded and not unloaded since. */
  public boolean isWanted(String name) {
    ModelRecord record = models.get(name);
    return record != null && record.wanted();
  }

  /** Every known model's versions with their state and reason, sorted by model and version. */
  public List<VersionStatus> index() {
    List<VersionStatus> statuses = new ArrayList<>();
    new TreeMap<>(models).values().forEach(record -> statuses.addAll(record.statuses()));
    return statuses;
  }

  /** One model's versions with their state and reason; empty for an unknown model. */
  public List<VersionStatus> statuses(String name) {
    ModelRecord record = models.get(name);
    return record == null ? List.of() : record.statuses();
  }

  /** The ready versions of a model, ascending; empty for an unknown model. */
  public List<ServingVersion> readyVersions(String name) {
    ModelRecord record = models.get(name);
    return record == null ? List.of() : record.ready();
  }

  /**
   * Whether the models count as ready for the server's readiness: with strict readiness (the
   * default), every model that should be loaded has a READY version; without it, always.
   */
  public boolean allReady() {
    return !strictReadiness
        || models.values().stream().filter(ModelRecord::wanted).allMatch(ModelRecord::hasReady);
  }

  private synchronized void publishRoutes(ModelRoutes routes) {
    if (models.containsKey(routes.name())) {
      table = table.with(routes);
    }
  }

  private synchronized void withdrawRoutes(String name) {
    table = table.without(name);
  }

  private synchronized void publishStates() {
    Map<String, Map<String, String>> states = new TreeMap<>();
    // A model with no version to show (broken configuration, unknown backend, unloaded) has one
    // series with version "", so that a dashboard sees it too.
    for (VersionStatus status : index()) {
      states
          .computeIfAbsent(status.model(), m -> new TreeMap<>())
          .put(status.version(), status.state().name());
    }
    lifecycle.publishStates(states);
  }

  /** Drains and unloads every model. */
  @Override
  public void close() {
    List<CompletableFuture<Void>> drains = new ArrayList<>();
    for (String name : List.copyOf(models.keySet())) {
      drains.add(unload(name));
    }
    CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new)).join();
    scalers.close();
    ensembles.close();
  }
}
