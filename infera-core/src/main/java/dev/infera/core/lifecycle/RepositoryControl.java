package dev.infera.core.lifecycle;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The model repository extension of the protocol (index, load, unload), as the REST and gRPC
 * frontends call it. Failures are {@link dev.infera.spi.InferenceException}s: FAILED_PRECONDITION
 * for load or unload outside EXPLICIT mode, NOT_FOUND for a model the repository does not hold,
 * INVALID_ARGUMENT for a bad name or configuration or a model that failed to load (with the
 * reasons).
 *
 * <p>Threading: safe from any thread; {@link #index} does not block; load and unload return at once
 * and complete on the lifecycle's thread.
 */
public interface RepositoryControl {

  /**
   * Every model of the repository and every loaded model, each version with its state and reason.
   *
   * @param readyOnly only READY versions
   */
  List<VersionStatus> index(boolean readyOnly);

  /**
   * Loads or reloads a model; completes once it serves.
   *
   * @param configJson a {@code ModelConfig} in JSON to use instead of the folder's config.pbtxt
   */
  CompletableFuture<Void> load(String name, Optional<String> configJson);

  /**
   * Unloads a model; completes once its versions finished their requests and freed their resources.
   *
   * @param unloadDependents Triton's flag: also unload the ensembles whose steps call the model
   */
  CompletableFuture<Void> unload(String name, boolean unloadDependents);
}
