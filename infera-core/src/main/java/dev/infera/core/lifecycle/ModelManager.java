package dev.infera.core.lifecycle;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.metrics.VersionMetrics;
import dev.infera.core.repository.ModelRepository;
import dev.infera.core.repository.ModelSource;
import dev.infera.spi.Backend;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * <p>Threading: loads and unloads of one model are serialized on that model's record; reads ({@link
 * #route}, {@link #index}) take no lock and see each record's latest published version map. A new
 * version is published only once READY; a replaced version drains its accepted requests before it
 * frees its resources.
 */
public final class ModelManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelManager.class);

  private final ModelRepository repository;
  private final VersionLoader loader;
  private final Map<String, ModelRecord> models = new ConcurrentHashMap<>();

  public ModelManager(
      ModelRepository repository,
      BackendRegistry backends,
      SchedulerFactory schedulers,
      MeterRegistry meters,
      ManagerOptions options) {
    this.repository = repository;
    this.loader = new VersionLoader(backends, schedulers, meters, options);
  }

  /** Loads every model of the repository; a model that fails is recorded UNAVAILABLE. */
  public void loadAll() {
    for (String name : repository.modelNames()) {
      load(name);
    }
  }

  /**
   * Loads (or reloads) one model from the repository. Versions the policy selects are loaded beside
   * the serving ones and published when ready; versions no longer selected are drained and
   * unloaded. A failure leaves the versions that were serving in place.
   *
   * @return whether the model has at least one READY version afterwards
   */
  public boolean load(String name) {
    ModelRecord record = models.computeIfAbsent(name, ModelRecord::new);
    synchronized (record) {
      Optional<ModelSource> source = repository.find(name);
      if (source.isEmpty()) {
        record.fail("model '" + name + "' is not in the repository " + repository.location());
        return record.hasReady();
      }
      try {
        loadVersions(record, source.get());
      } catch (InferenceException | IllegalArgumentException e) {
        record.fail(e.getMessage());
        LOG.error("model '{}' is unavailable: {}", name, e.getMessage());
      }
      return record.hasReady();
    }
  }

  private void loadVersions(ModelRecord record, ModelSource source) {
    ModelConfig config = loader.configOf(source);
    SortedMap<Long, Path> selected = loader.selectVersions(config, source);
    Backend backend = loader.backendFor(config, source, selected.get(selected.firstKey()));
    NavigableMap<Long, ServingVersion> next = new TreeMap<>();
    Map<Long, String> failures = new TreeMap<>();
    for (Map.Entry<Long, Path> entry : selected.entrySet()) {
      long started = System.nanoTime();
      try {
        ServingVersion version =
            loader.load(source, config, backend, entry.getKey(), entry.getValue());
        version.markReady();
        next.put(entry.getKey(), version);
        LOG.info(
            "{} is READY ({} backend, {} ms)",
            ServingVersion.label(source.name(), entry.getKey()),
            backend.name(),
            (System.nanoTime() - started) / 1_000_000);
      } catch (InferenceException | IllegalArgumentException e) {
        failures.put(entry.getKey(), e.getMessage());
        LOG.error(
            "{} failed to load: {}",
            ServingVersion.label(source.name(), entry.getKey()),
            e.getMessage());
        ServingVersion previous = record.versions.get(entry.getKey());
        if (previous != null) {
          next.put(entry.getKey(), previous);
        }
      }
    }
    List<ServingVersion> retired = new ArrayList<>();
    for (ServingVersion old : record.versions.values()) {
      if (next.get(old.version()) != old) {
        retired.add(old);
      }
    }
    record.publish(next, failures);
    retired.forEach(ServingVersion::drainAndClose);
  }

  /** Drains and unloads every version of a model; it stays known as UNAVAILABLE. */
  public CompletableFuture<Void> unload(String name) {
    ModelRecord record = models.get(name);
    if (record == null) {
      throw new InferenceException(ErrorCode.NOT_FOUND, "model '" + name + "' is not loaded");
    }
    synchronized (record) {
      List<ServingVersion> retired = new ArrayList<>(record.versions.values());
      record.publish(new TreeMap<>(), Map.of());
      record.fail("unloaded");
      return CompletableFuture.allOf(
          retired.stream().map(ServingVersion::drainAndClose).toArray(CompletableFuture[]::new));
    }
  }

  /**
   * The version a request goes to: the given version when it is READY, else the highest READY
   * version.
   *
   * @throws InferenceException NOT_FOUND for an unknown model or version, UNAVAILABLE (with the
   *     reason) when the model has no ready version
   */
  public ServingVersion route(String name, Optional<String> version) {
    ModelRecord record = models.get(name);
    if (record == null) {
      throw new InferenceException(ErrorCode.NOT_FOUND, "model '" + name + "' is not found");
    }
    return record.route(version);
  }

  /** Whether the model is known to the manager (loaded, or failed with a reason). */
  public boolean isKnown(String name) {
    return models.containsKey(name);
  }

  /** Every known model's versions with their state and reason, sorted by model and version. */
  public List<VersionStatus> index() {
    List<VersionStatus> statuses = new ArrayList<>();
    new TreeMap<>(models).values().forEach(record -> statuses.addAll(record.statuses()));
    return statuses;
  }

  /** The ready versions of a model, ascending; empty for an unknown model. */
  public List<ServingVersion> readyVersions(String name) {
    ModelRecord record = models.get(name);
    return record == null ? List.of() : record.ready();
  }

  /** Whether every known model has a READY version. */
  public boolean allReady() {
    return models.values().stream().allMatch(ModelRecord::hasReady);
  }

  /** Drains and unloads every model. */
  @Override
  public void close() {
    List<CompletableFuture<Void>> drains = new ArrayList<>();
    for (String name : List.copyOf(models.keySet())) {
      drains.add(unload(name));
    }
    CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new)).join();
  }

  /** Used by tests and the engine to reach a version's meters. */
  static VersionMetrics metricsOf(ServingVersion version) {
    return version.metrics();
  }
}
