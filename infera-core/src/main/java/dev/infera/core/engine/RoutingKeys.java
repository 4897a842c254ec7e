package dev.infera.core.engine;

import dev.infera.core.InferenceRequest;
import dev.infera.spi.InferenceException;
import java.util.Optional;

/** The routing key of a request, which sticky traffic policies hash to pick a variant. */
final class RoutingKeys {
  /** The request parameter carrying the key. */
  static final String PARAMETER = "routing_key";

  private RoutingKeys() {}

  static Optional<String> of(InferenceRequest request) {
    Object value = request.parameters().get(PARAMETER);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String text && !text.isEmpty()) {
      return Optional.of(text);
    }
    throw InferenceException.invalidArgument(
        "parameter '" + PARAMETER + "': " + value + " (expected a non-empty string)");
  }
}
