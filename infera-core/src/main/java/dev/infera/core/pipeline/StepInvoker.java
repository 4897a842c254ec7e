package dev.infera.core.pipeline;

import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one step's request on its model as the engine runs any request: routed to a version, checked
 * against its inputs, queued on its scheduler. Requests of a pipeline already accepted are run even
 * while the server stops accepting new ones.
 *
 * <p>Thread-safe; never blocks. Failures complete the future with an {@link
 * dev.infera.spi.InferenceException}.
 */
@FunctionalInterface
public interface StepInvoker {
  CompletableFuture<InferenceResponse> invoke(InferenceRequest request);
}
