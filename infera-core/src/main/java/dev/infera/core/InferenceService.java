package dev.infera.core;

import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.metrics.InferenceStatistics;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The in-process inference API that every frontend calls. Transport-free: failures are {@link
 * dev.infera.spi.InferenceException}s carrying an {@link dev.infera.spi.ErrorCode}, which each
 * frontend maps to its own status in one place.
 *
 * <p>Threading: every method is safe to call from any thread and never blocks on inference; {@link
 * #infer} completes its future on a scheduler or instance thread. Cancelling the returned future
 * withdraws the request if it has not started executing.
 */
public interface InferenceService {

  /** Validates the request, routes it to a version, queues it, and completes with its outputs. */
  CompletableFuture<InferenceResponse> infer(InferenceRequest request);

  ServerMetadata serverMetadata();

  /**
   * The metadata of a model, or of one version of it.
   *
   * @throws dev.infera.spi.InferenceException NOT_FOUND for an unknown model or version,
   *     UNAVAILABLE (with the reason) for a model that failed to load
   */
  ModelMetadata modelMetadata(String modelName, Optional<String> version);

  /**
   * The effective configuration of a model version (the version a request would be routed to when
   * none is given): the configuration as completed from the model file and any load-time override.
   * A service without configurations (such as a test double) answers UNIMPLEMENTED.
   *
   * @throws dev.infera.spi.InferenceException NOT_FOUND for an unknown model or version,
   *     UNAVAILABLE for a model with no ready version
   */
  default ModelConfig modelConfig(String modelName, Optional<String> version) {
    throw new InferenceException(
        ErrorCode.UNIMPLEMENTED, "this server does not report model configurations");
  }

  /**
   * The class labels of a version's outputs ({@code label_filename}), by output name; empty when it
   * has none or the service does not report labels. Classification attaches them.
   *
   * @throws dev.infera.spi.InferenceException NOT_FOUND for an unknown model or version
   */
  default Map<String, List<String>> outputLabels(String modelName, String version) {
    return Map.of();
  }

  /**
   * Triton's statistics: of every ready version of every model (no model given), of every ready
   * version of one model (no version given), or of one version. A service without statistics (such
   * as a test double) answers UNIMPLEMENTED.
   *
   * @throws dev.infera.spi.InferenceException NOT_FOUND for an unknown model or version,
   *     UNAVAILABLE for a model with no ready version
   */
  default List<InferenceStatistics> modelStatistics(
      Optional<String> modelName, Optional<String> version) {
    throw new InferenceException(
        ErrorCode.UNIMPLEMENTED, "this server does not report model statistics");
  }

  /** Whether the model (or the given version) is ready to infer. Never throws for unknown names. */
  boolean isModelReady(String modelName, Optional<String> version);

  /** Whether the process is alive: true until shutdown completes. */
  boolean isLive();

  /** Whether the server is ready: every model that should be loaded is ready. */
  boolean isReady();
}
