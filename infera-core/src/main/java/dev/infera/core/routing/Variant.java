package dev.infera.core.routing;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.util.Objects;

/**
 * One target of a traffic split: a version of the policy's model, or of another model with the same
 * inputs and outputs (an A/B test of two architectures).
 *
 * @param model the model answering
 * @param version its version
 * @param weight the share of requests, in percent (0 to 100)
 */
public record Variant(String model, long version, int weight) {

  public Variant {
    Objects.requireNonNull(model, "model");
    if (version < 0) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "variant '" + model + "' version " + version + " (expected a non-negative integer)");
    }
    if (weight < 0 || weight > 100) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT,
          "variant '"
              + model
              + "' version "
              + version
              + ": weight "
              + weight
              + " (expected 0 to 100)");
    }
  }

  /** The name this variant counts under for requests to {@code policyModel}. */
  public String name(String policyModel) {
    return name(policyModel, model, version);
  }

  /**
   * A variant's name: its version number when it is a version of the requested model, else {@code
   * model:version}.
   */
  public static String name(String policyModel, String model, long version) {
    return policyModel.equals(model) ? Long.toString(version) : model + ":" + version;
  }

  /** This variant with another weight. */
  public Variant withWeight(int newWeight) {
    return new Variant(model, version, newWeight);
  }
}
