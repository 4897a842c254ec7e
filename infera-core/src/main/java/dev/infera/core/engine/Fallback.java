package dev.infera.core.engine;

import dev.infera.core.InferenceRequest;
import dev.infera.core.RequestOptions;
import java.time.Duration;
import java.util.Optional;

/**
 * The retry of a failed variant's request on the stable version, within the caller's time: a
 * request with a {@code timeout} gets what is left of it, one with a deadline keeps it (it is
 * absolute), and neither is retried once its time is up.
 */
final class Fallback {
  private Fallback() {}

  /**
   * @param elapsedNanos how long the request has been under way
   * @param now the engine clock's reading, for the deadline
   * @return the request to retry, with its remaining timeout; empty when its time is up
   */
  static Optional<InferenceRequest> withinDeadline(
      InferenceRequest request, long elapsedNanos, long now) {
    RequestOptions options = request.options();
    if (options.deadline().isPresent() && options.deadline().get().hasPassed(now)) {
      return Optional.empty();
    }
    if (options.timeout().isEmpty()) {
      return Optional.of(request);
    }
    Duration left = options.timeout().get().minusNanos(elapsedNanos);
    if (left.isNegative() || left.isZero()) {
      return Optional.empty();
    }
    return Optional.of(request.withOptions(options.toBuilder().timeout(left).build()));
  }
}
