package dev.infera.core.lifecycle;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.engine.ModelInterface;
import dev.infera.core.engine.RequestValidator;
import dev.infera.core.metrics.VersionMetrics;
import dev.infera.core.scheduling.Scheduler;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model version and everything it owns: the backend's model, its instances, its
 * scheduler and its meters. Its state is written by the {@link ModelManager} only and read by any
 * thread.
 */
public final class ServingVersion {
  private static final Logger LOG = LoggerFactory.getLogger(ServingVersion.class);

  private final String model;
  private final long version;
  private final ModelConfig config;
  private final ModelInterface contract;
  private final RequestValidator validator;
  private final LoadedModel loaded;
  private final List<ModelInstance> instances;
  private final Scheduler scheduler;
  private final VersionMetrics metrics;
  private volatile ModelState state = ModelState.LOADING;

  ServingVersion(
      String model,
      long version,
      ModelConfig config,
      LoadedModel loaded,
      List<ModelInstance> instances,
      Scheduler scheduler,
      VersionMetrics metrics) {
    this.model = model;
    this.version = version;
    this.config = config;
    this.contract = ModelInterface.of(config);
    this.validator =
        new RequestValidator(
            label(model, version),
            contract,
            (int) Math.min(Integer.MAX_VALUE, config.getDynamicBatching().getPriorityLevels()));
    this.loaded = loaded;
    this.instances = List.copyOf(instances);
    this.scheduler = scheduler;
    this.metrics = metrics;
  }

  /** How messages name a version: {@code model 'x' version '1'}. */
  public static String label(String model, long version) {
    return "model '" + model + "' version '" + version + "'";
  }

  public String model() {
    return model;
  }

  public long version() {
    return version;
  }

  public ModelConfig config() {
    return config;
  }

  public ModelInterface contract() {
    return contract;
  }

  public RequestValidator validator() {
    return validator;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public VersionMetrics metrics() {
    return metrics;
  }

  public ModelState state() {
    return state;
  }

  void markReady() {
    state = ModelState.READY;
  }

  /**
   * Stops routing to this version, lets its accepted requests finish, then frees its instances,
   * model and meters.
   */
  CompletableFuture<Void> drainAndClose() {
    state = ModelState.UNLOADING;
    return scheduler
        .stop()
        .handle(
            (ignored, failure) -> {
              closeResources();
              state = ModelState.UNAVAILABLE;
              return null;
            });
  }

  /** Frees resources of a version that never served (a failed load). */
  void closeResources() {
    for (ModelInstance instance : instances) {
      try {
        instance.close();
      } catch (RuntimeException e) {
        LOG.warn("{}: instance failed to close: {}", label(model, version), e.toString());
      }
    }
    try {
      loaded.close();
    } catch (RuntimeException e) {
      LOG.warn("{}: model failed to close: {}", label(model, version), e.toString());
    }
    metrics.close();
  }
}
