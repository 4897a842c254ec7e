package dev.infera.core.engine;

import dev.infera.core.InferenceRequest;
import dev.infera.core.contract.RequestValidator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The retry of a failed variant's request on the stable version, within the caller's deadline: a
 * request with a {@code timeout} gets what is left of it, and none when nothing is left.
 */
final class Fallback {
  private Fallback() {}

  /**
   * @param elapsedNanos how long the request has been under way
   * @return the request to retry, with its remaining timeout; empty when its time is up
   */
  static Optional<InferenceRequest> withinDeadline(InferenceRequest request, long elapsedNanos) {
    Object timeout = request.parameters().get(RequestValidator.TIMEOUT);
    if (!(timeout instanceof Number micros) || micros.longValue() <= 0) {
      return Optional.of(request);
    }
    long left = micros.longValue() - elapsedNanos / 1000;
    if (left <= 0) {
      return Optional.empty();
    }
    Map<String, Object> parameters = new HashMap<>(request.parameters());
    parameters.put(RequestValidator.TIMEOUT, left);
    return Optional.of(
        new InferenceRequest(
            request.modelName(),
            request.modelVersion(),
            request.id(),
            request.inputs(),
            request.outputs(),
            parameters));
  }
}
