package dev.infera.core;

import dev.infera.spi.Tensor;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One inference call, as an edge decoded it.
 *
 * @param modelName the model's name
 * @param modelVersion the version asked for; empty means the highest ready version
 * @param id the caller's request id, echoed in the response; empty when none was sent
 * @param inputs the input tensors, full shapes (batch dimension included where the model has one)
 * @param outputs the outputs asked for, each with its delivery options; empty means every output,
 *     each with {@link RequestOptions#outputDefaults()}
 * @param options everything else the caller asked for (priority, timeout, deadline, routing key,
 *     trace context), typed and validated
 */
public record InferenceRequest(
    String modelName,
    Optional<String> modelVersion,
    Optional<String> id,
    List<Tensor> inputs,
    List<RequestedOutput> outputs,
    RequestOptions options) {

  public InferenceRequest {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(modelVersion, "modelVersion");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(options, "options");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** A request for every output of the highest ready version, with no id and default options. */
  public static InferenceRequest of(String modelName, List<Tensor> inputs) {
    return new InferenceRequest(
        modelName, Optional.empty(), Optional.empty(), inputs, List.of(), RequestOptions.DEFAULT);
  }

  /** How the caller wants the output {@code name} delivered. */
  public OutputOptions outputOptions(String name) {
    for (RequestedOutput output : outputs) {
      if (output.name().equals(name)) {
        return output.options();
      }
    }
    return options.outputDefaults();
  }

  /** The same request with other options. */
  public InferenceRequest withOptions(RequestOptions newOptions) {
    return new InferenceRequest(modelName, modelVersion, id, inputs, outputs, newOptions);
  }
}
