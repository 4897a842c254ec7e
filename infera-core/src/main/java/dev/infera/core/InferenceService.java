package dev.infera.core;

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

  /** Whether the model (or the given version) is ready to infer. Never throws for unknown names. */
  boolean isModelReady(String modelName, Optional<String> version);

  /** Whether the process is alive: true until shutdown completes. */
  boolean isLive();

  /** Whether the server is ready: every model that should be loaded is ready. */
  boolean isReady();
}
