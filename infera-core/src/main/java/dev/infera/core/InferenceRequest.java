package dev.infera.core;

import dev.infera.spi.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One inference call, as decoded by a frontend.
 *
 * @param modelName the model's name
 * @param modelVersion the version asked for; empty means the highest ready version
 * @param id the caller's request id, echoed in the response; empty when none was sent
 * @param inputs the input tensors, full shapes (batch dimension included where the model has one)
 * @param outputs the outputs asked for; empty means every output
 * @param parameters the request's protocol parameters (such as {@code priority}, {@code timeout});
 *     values are {@code Boolean}, {@code Long}, {@code Double} or {@code String}
 */
public record InferenceRequest(
    String modelName,
    Optional<String> modelVersion,
    Optional<String> id,
    List<Tensor> inputs,
    List<RequestedOutput> outputs,
    Map<String, Object> parameters) {

  public InferenceRequest {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(modelVersion, "modelVersion");
    Objects.requireNonNull(id, "id");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    parameters = Map.copyOf(parameters);
  }

  /** A request for every output of the highest ready version, with no id or parameters. */
  public static InferenceRequest of(String modelName, List<Tensor> inputs) {
    return new InferenceRequest(
        modelName, Optional.empty(), Optional.empty(), inputs, List.of(), Map.of());
  }
}
