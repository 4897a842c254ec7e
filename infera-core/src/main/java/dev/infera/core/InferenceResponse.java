package dev.infera.core;

import dev.infera.spi.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one {@link InferenceRequest}.
 *
 * @param modelName the model that answered
 * @param modelVersion the version that answered
 * @param id the request's id, when it had one
 * @param outputs the outputs, in the order they were asked for (or the model's order)
 * @param parameters response parameters; empty for now
 */
public record InferenceResponse(
    String modelName,
    String modelVersion,
    Optional<String> id,
    List<Tensor> outputs,
    Map<String, Object> parameters) {

  public InferenceResponse {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(modelVersion, "modelVersion");
    Objects.requireNonNull(id, "id");
    outputs = List.copyOf(outputs);
    parameters = Map.copyOf(parameters);
  }
}
