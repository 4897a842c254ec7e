package dev.infera.core.lifecycle;

import dev.infera.core.config.ConfigException;
import dev.infera.core.config.ModelConfigCompleter;
import dev.infera.core.config.ModelConfigParser;
import dev.infera.core.config.ModelConfigValidator;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelInstanceGroup;
import dev.infera.core.metrics.VersionMetrics;
import dev.infera.core.repository.LocalModelRepository;
import dev.infera.core.repository.ModelSource;
import dev.infera.core.scheduling.InstanceScaling;
import dev.infera.spi.Backend;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelLoadRequest.InstanceKind;
import dev.infera.spi.ModelSignature;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a model's stored files into ready {@link ServingVersion}s: parses and validates the
 * configuration, picks the backend and the versions the version policy selects, loads each version,
 * completes the configuration from the model file, and builds instances and scheduler. Stateless
 * apart from its collaborators; called by {@link ModelManager} under the model's lock.
 */
final class VersionLoader {
  private static final Logger LOG = LoggerFactory.getLogger(VersionLoader.class);
  private static final String GRAPH_LEVEL_PARAMETER = "graph_optimization_level";

  /** How many ignored folders a message names; a model folder may hold many. */
  private static final int MAX_IGNORED_SHOWN = 3;

  private final BackendRegistry backends;
  private final SchedulerFactory schedulers;
  private final VersionMetricsPool meters;
  private final ManagerOptions options;

  VersionLoader(
      BackendRegistry backends,
      SchedulerFactory schedulers,
      MeterRegistry meters,
      ManagerOptions options) {
    this.backends = backends;
    this.schedulers = schedulers;
    this.meters = new VersionMetricsPool(meters);
    this.options = options;
  }

  /** The meters of every version, shared with the ensembles' versions. */
  VersionMetricsPool metricsPool() {
    return meters;
  }

  /**
   * The configuration a load uses, validated: the override a load request gave, else the one
   * written in the repository, else the default instance when there is none.
   */
  ModelConfig configOf(ModelSource source, Optional<ModelConfig> override) {
    if (override.isPresent()) {
      ModelConfigValidator.validate(override.get(), source.name());
      warnUnsupported(override.get(), source.name());
      return override.get();
    }
    if (source.configProblem().isPresent()) {
      throw new ConfigException(
          "model '" + source.name() + "'", List.of(source.configProblem().get()));
    }
    if (source.configText().isEmpty()) {
      if (options.strictModelConfig()) {
        throw new InferenceException(
            ErrorCode.INVALID_ARGUMENT,
            "model '"
                + source.name()
                + "': no config.pbtxt, and --strict-model-config requires one");
      }
      return ModelConfig.getDefaultInstance();
    }
    ModelConfig config =
        ModelConfigParser.parse(
            source.configText().get(), source.directory().resolve("config.pbtxt").toString());
    ModelConfigValidator.validate(config, source.name());
    warnUnsupported(config, source.name());
    return config;
  }

  private static void warnUnsupported(ModelConfig config, String model) {
    for (String field : ModelConfigValidator.unsupportedFields(config)) {
      LOG.warn("model '{}': config field '{}' is not supported yet and is ignored", model, field);
    }
  }

  /** The versions the configuration's version policy selects, ascending. */
  SortedMap<Long, Path> selectVersions(ModelConfig config, ModelSource source) {
    SortedMap<Long, Path> available = source.versions();
    SortedMap<Long, Path> selected = new TreeMap<>();
    if (config.getVersionPolicy().hasAll()) {
      selected.putAll(available);
    } else if (config.getVersionPolicy().hasSpecific()) {
      for (long version : config.getVersionPolicy().getSpecific().getVersionsList()) {
        if (available.containsKey(version)) {
          selected.put(version, available.get(version));
        } else {
          LOG.warn(
              "model '{}': version {} named by version_policy has no folder",
              source.name(),
              version);
        }
      }
    } else {
      int count =
          config.getVersionPolicy().hasLatest()
              ? Math.max(1, (int) config.getVersionPolicy().getLatest().getNumVersions())
              : 1;
      List<Long> newestFirst = new ArrayList<>(available.keySet());
      java.util.Collections.reverse(newestFirst);
      for (Long version : newestFirst.subList(0, Math.min(count, newestFirst.size()))) {
        selected.put(version, available.get(version));
      }
    }
    if (available.isEmpty() && !source.ignored().isEmpty()) {
      throw new InferenceException(
          ErrorCode.NOT_FOUND,
          "model '"
              + source.name()
              + "': no version folder to load: "
              + ignoredFolders(source.ignored())
              + misplacedFileHint(source));
    }
    if (selected.isEmpty()) {
      throw new InferenceException(
          ErrorCode.NOT_FOUND,
          "model '"
              + source.name()
              + "': no version folder to load (found "
              + available.keySet()
              + ")"
              + misplacedFileHint(source));
    }
    if (!source.ignored().isEmpty()) {
      LOG.info(
          "model '{}': folders that are no versions are ignored: {}",
          source.name(),
          ignoredFolders(source.ignored()));
    }
    return selected;
  }

  /** The first few ignored folders with why, and how many more there are. */
  private static String ignoredFolders(List<String> ignored) {
    int shown = Math.min(ignored.size(), MAX_IGNORED_SHOWN);
    String more = ignored.size() > shown ? "; and " + (ignored.size() - shown) + " more" : "";
    return String.join("; ", ignored.subList(0, shown)) + more;
  }

  /**
   * When files sit in the model folder itself rather than in a version folder, a hint naming the
   * first and where Triton's layout wants it; empty otherwise.
   */
  private static String misplacedFileHint(ModelSource source) {
    try (var files = java.nio.file.Files.list(source.directory())) {
      return files
          .filter(java.nio.file.Files::isRegularFile)
          .map(file -> file.getFileName().toString())
          .filter(name -> !name.equals(LocalModelRepository.CONFIG_FILE) && !name.startsWith("."))
          .filter(name -> !name.endsWith(".txt") && !name.endsWith(".md"))
          .sorted()
          .findFirst()
          .map(
              name ->
                  "; '"
                      + name
                      + "' sits in the model folder: move it into a numbered version folder, as "
                      + source.name()
                      + "/1/"
                      + name)
          .orElse("");
    } catch (java.io.IOException e) {
      return "";
    }
  }

  Backend backendFor(ModelConfig config, ModelSource source, Path firstVersion) {
    String named = !config.getBackend().isEmpty() ? config.getBackend() : config.getPlatform();
    if (!named.isEmpty()) {
      return backends
          .named(named)
          .orElseThrow(
              () ->
                  new InferenceException(
                      ErrorCode.INVALID_ARGUMENT,
                      "model '"
                          + source.name()
                          + "': unknown backend or platform '"
                          + named
                          + "' (expected one of: "
                          + String.join(", ", backends.knownNames())
                          + ")"));
    }
    return backends
        .recognizing(firstVersion)
        .orElseThrow(
            () ->
                new InferenceException(
                    ErrorCode.INVALID_ARGUMENT,
                    "model '"
                        + source.name()
                        + "': no backend recognizes the files in "
                        + firstVersion
                        + " and config.pbtxt names none"));
  }

  /**
   * Loads one version; on failure frees whatever it had created and throws.
   *
   * @param written the configuration as written (or given by a load request); the version loads
   *     with it after the options' instance count ({@link InstanceCount#apply})
   * @param configured whether {@code written} was written (or given by a load request) rather than
   *     left empty, to be completed from the model file
   */
  ServingVersion load(
      ModelSource source,
      ModelConfig written,
      boolean configured,
      Backend backend,
      long version,
      Path directory) {
    VersionFingerprint files = VersionFingerprint.of(directory);
    ModelConfig config =
        options
            .instanceCount()
            .apply(
                written,
                backend.coresPerInstance(
                    options.backendConfig().withDefaults(backend, parameters(written))),
                Runtime.getRuntime().availableProcessors());
    // Checked before the backend loads anything: a bad value fails the load naming the parameter.
    Optional<InstanceScaling> scaling =
        InstanceScaling.of(parameters(config), instanceCount(config));
    ModelLoadRequest request =
        new ModelLoadRequest(
            source.name(),
            version,
            directory,
            config.getDefaultModelFilename().isEmpty()
                ? Optional.empty()
                : Optional.of(config.getDefaultModelFilename()),
            options.backendConfig().withDefaults(backend, parameters(config)),
            configured ? config.getMaxBatchSize() : -1,
            configured && config.getInputCount() > 0
                ? ModelConfigCompleter.declaredSignature(config)
                : new ModelSignature(List.of(), List.of()),
            instanceCount(config),
            instanceKind(config),
            instanceDevices(config));
    LoadedModel loaded = backend.load(request);
    ModelConfig completed;
    try {
      completed =
          ModelConfigCompleter.complete(
              config,
              source.name(),
              loaded.signature(),
              backend.name(),
              options.defaultMaxBatchSize());
      ModelConfigValidator.validate(completed, source.name());
    } catch (ConfigException | IllegalArgumentException e) {
      loaded.close();
      throw e;
    }
    String versionText = Long.toString(version);
    VersionMetrics metrics = meters.acquire(source.name(), versionText);
    List<ModelInstance> instances = new ArrayList<>();
    try {
      for (int i = 0; i < instanceCount(completed); i++) {
        instances.add(loaded.newInstance(i));
      }
      String label = ServingVersion.label(source.name(), version);
      return new ServingVersion(
          source.name(),
          version,
          completed,
          loaded,
          instances,
          schedulers.create(label, completed, instances, metrics),
          scaling,
          metrics,
          () -> meters.release(source.name(), versionText),
          new VersionSource(written, files));
    } catch (RuntimeException e) {
      instances.forEach(ModelInstance::close);
      loaded.close();
      meters.release(source.name(), versionText);
      throw e;
    }
  }

  private static Map<String, String> parameters(ModelConfig config) {
    Map<String, String> parameters = new HashMap<>();
    config.getParametersMap().forEach((key, value) -> parameters.put(key, value.getStringValue()));
    if (config.getOptimization().hasGraph() && !parameters.containsKey(GRAPH_LEVEL_PARAMETER)) {
      parameters.put(
          GRAPH_LEVEL_PARAMETER, Integer.toString(config.getOptimization().getGraph().getLevel()));
    }
    return parameters;
  }

  /**
   * How many instances the instance groups ask for: {@code count} (at least 1) per group, times the
   * number of GPUs a GPU group lists, as Triton counts them; 1 without groups.
   */
  static int instanceCount(ModelConfig config) {
    return instanceDevices(config).size();
  }

  /**
   * For each instance, in creation order, the GPU it runs on, or -1 for CPU. A GPU group that lists
   * no GPUs runs on GPU 0.
   */
  static List<Integer> instanceDevices(ModelConfig config) {
    List<Integer> devices = new ArrayList<>();
    for (ModelInstanceGroup group : config.getInstanceGroupList()) {
      int count = Math.max(1, group.getCount());
      if (group.getKind() != ModelInstanceGroup.Kind.KIND_GPU) {
        devices.addAll(java.util.Collections.nCopies(count, -1));
        continue;
      }
      List<Integer> gpus = group.getGpusCount() > 0 ? group.getGpusList() : List.of(0);
      for (int gpu : gpus) {
        devices.addAll(java.util.Collections.nCopies(count, gpu));
      }
    }
    return devices.isEmpty() ? List.of(-1) : devices;
  }

  private static InstanceKind instanceKind(ModelConfig config) {
    for (ModelInstanceGroup group : config.getInstanceGroupList()) {
      if (group.getKind() == ModelInstanceGroup.Kind.KIND_GPU) {
        return InstanceKind.GPU;
      }
    }
    return InstanceKind.CPU;
  }
}
