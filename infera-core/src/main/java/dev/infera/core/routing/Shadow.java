package dev.infera.core.routing;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.Objects;

/**
 * A shadow target: a copy of a sampled fraction of the requests goes to this version, whose answer
 * is compared with the primary's and never returned.
 *
 * @param model the model answering the copies (the policy's own, or one with the same signature)
 * @param version its version
 * @param fraction the share of requests copied, from 0 (exclusive) to 1
 */
public record Shadow(String model, long version, double fraction) {
  public Shadow {
    Objects.requireNonNull(model, "model");
    if (!(fraction > 0 && fraction <= 1)) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "shadow fraction " + fraction + " (expected more than 0 and at most 1)");
    }
  }
}
