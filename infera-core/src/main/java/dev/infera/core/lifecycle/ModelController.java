package dev.infera.core.lifecycle;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.repository.ModelNames;
import dev.infera.core.repository.ModelRepository;
import dev.infera.core.repository.RepositoryUnavailableException;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository API and the model control modes over a {@link ModelManager}: what loads at start,
 * what POLL mode applies from the repository, and what EXPLICIT mode's load and unload requests do.
 *
 * <p>Threading: every load, unload and scan after start runs on one named thread ({@code
 * infera-model-control}), one at a time, so that they apply in the order they were asked; callers
 * get futures. {@link #index} reads without waiting.
 */
public final class ModelController implements RepositoryControl, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelController.class);
  static final String NOT_LOADED = "not loaded";

  private final ModelManager manager;
  private final ModelRepository repository;
  private final ControlOptions options;
  private final RepositoryPoller poller;
  private final ScheduledExecutorService thread;

  public ModelController(ModelManager manager, ControlOptions options) {
    this.manager = manager;
    this.repository = manager.repository();
    this.options = options;
    this.poller = new RepositoryPoller(manager);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "infera-model-control");
              t.setDaemon(true);
              return t;
            });
  }

  public ModelControlMode mode() {
    return options.mode();
  }

  /** Loads the start-up models on the calling thread, then starts polling in POLL mode. */
  public void start() {
    switch (options.mode()) {
      case NONE -> manager.loadAll();
      case POLL -> {
        poller.poll();
        long millis = options.pollInterval().toMillis();
        thread.scheduleWithFixedDelay(this::pollQuietly, millis, millis, TimeUnit.MILLISECONDS);
      }
      case EXPLICIT -> startupModels().forEach(manager::load);
    }
  }

  private Set<String> startupModels() {
    Set<String> names = new TreeSet<>();
    for (String name : options.startupModels()) {
      if (name.equals(ControlOptions.ALL_MODELS)) {
        names.addAll(repository.modelNames());
      } else {
        names.add(name);
      }
    }
    return names;
  }

  private void pollQuietly() {
    try {
      poller.poll();
    } catch (RuntimeException e) {
      LOG.error("repository poll failed; retrying at the next poll", e);
    }
  }

  /**
   * Scans the repository now (POLL mode), after the operations already asked for.
   *
   * @return the names of the models the scan loaded or unloaded
   */
  public CompletableFuture<Set<String>> pollNow() {
    if (options.mode() != ModelControlMode.POLL) {
      return CompletableFuture.failedFuture(notAllowed("a repository poll", ModelControlMode.POLL));
    }
    return CompletableFuture.supplyAsync(poller::poll, thread);
  }

  /**
   * Every model of the repository and every model loaded, each version with its state and reason; a
   * model in the repository that is not loaded appears once, UNAVAILABLE, "not loaded". While the
   * repository cannot be listed, only the models the manager knows.
   *
   * @param readyOnly only the READY versions (Triton's {@code ready} flag)
   */
  @Override
  public List<VersionStatus> index(boolean readyOnly) {
    List<VersionStatus> statuses = new ArrayList<>(manager.index());
    for (String name : repositoryNames()) {
      if (!manager.isKnown(name)) {
        statuses.add(new VersionStatus(name, "", ModelState.UNAVAILABLE, NOT_LOADED));
      }
    }
    statuses.sort(
        (a, b) ->
            a.model().equals(b.model())
                ? compareVersions(a.version(), b.version())
                : a.model().compareTo(b.model()));
    return readyOnly
        ? statuses.stream().filter(s -> s.state() == ModelState.READY).toList()
        : List.copyOf(statuses);
  }

  /** The repository's models; none while it cannot be listed (the poller warns about that). */
  private List<String> repositoryNames() {
    try {
      return repository.modelNames();
    } catch (RepositoryUnavailableException e) {
      return List.of();
    }
  }

  private static int compareVersions(String a, String b) {
    return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
  }

  /**
   * Loads or reloads a model (EXPLICIT mode only). Completes once the model serves what its folder
   * (or {@code configJson}) says.
   *
   * @param configJson a {@code ModelConfig} in JSON to use instead of the folder's config.pbtxt
   * @return fails with FAILED_PRECONDITION outside EXPLICIT mode, INVALID_ARGUMENT for a bad name
   *     or configuration, NOT_FOUND for a model the repository does not hold, INVALID_ARGUMENT with
   *     the reasons when a version failed to load (versions that served before keep serving)
   */
  @Override
  public CompletableFuture<Void> load(String name, Optional<String> configJson) {
    Optional<ModelConfig> override;
    try {
      checkAllowed("model load", name);
      override = configJson.map(json -> ConfigOverride.parse(json, name));
    } catch (InferenceException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.runAsync(() -> loadNow(name, override), thread);
  }

  private void loadNow(String name, Optional<ModelConfig> override) {
    if (repository.find(name).isEmpty()) {
      throw new InferenceException(
          ErrorCode.NOT_FOUND,
          "failed to load: model '" + name + "' is not in the repository " + repository.location());
    }
    boolean ready = manager.load(name, override);
    List<String> reasons =
        manager.statuses(name).stream()
            .map(VersionStatus::reason)
            .filter(reason -> !reason.isEmpty())
            .distinct()
            .toList();
    if (!ready || !reasons.isEmpty()) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "failed to load model '"
              + name
              + "': "
              + (reasons.isEmpty() ? "no version is ready" : String.join("; ", reasons)));
    }
  }

  /**
   * Unloads a model (EXPLICIT mode only): it leaves routing at once; completes once every version
   * finished its requests and freed its resources. A model of the repository that is not loaded
   * unloads trivially.
   *
   * @param unloadDependents Triton's {@code unload_dependents}: also unload the loaded ensembles
   *     whose steps call the model (without it they stay loaded and report not ready)
   */
  @Override
  public CompletableFuture<Void> unload(String name, boolean unloadDependents) {
    try {
      checkAllowed("model unload", name);
    } catch (InferenceException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.supplyAsync(() -> unloadNow(name, unloadDependents), thread)
        .thenCompose(drained -> drained);
  }

  private CompletableFuture<Void> unloadNow(String name, boolean unloadDependents) {
    if (manager.isKnown(name)) {
      List<CompletableFuture<Void>> drains = new ArrayList<>();
      if (unloadDependents) {
        for (String dependent : manager.dependents(name)) {
          LOG.info("unloading ensemble '{}', which calls model '{}'", dependent, name);
          drains.add(manager.unload(dependent));
        }
      }
      drains.add(manager.unload(name));
      return CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new));
    }
    if (repository.find(name).isPresent()) {
      return CompletableFuture.completedFuture(null);
    }
    throw new InferenceException(
        ErrorCode.NOT_FOUND,
        "model '" + name + "' is neither loaded nor in the repository " + repository.location());
  }

  private void checkAllowed(String what, String name) {
    if (options.mode() != ModelControlMode.EXPLICIT) {
      throw notAllowed(what, ModelControlMode.EXPLICIT);
    }
    if (!ModelNames.isValid(name)) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "model name '"
              + name
              + "' (expected 1 to 255 characters, no leading dot, no path separator)");
    }
  }

  private InferenceException notAllowed(String what, ModelControlMode needed) {
    return new InferenceException(
        ErrorCode.FAILED_PRECONDITION,
        what
            + " needs --model-control-mode "
            + needed.flagValue()
            + " (this server runs in mode '"
            + options.mode().flagValue()
            + "')");
  }

  /** Stops polling and the control thread; loaded models stay with the manager. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
