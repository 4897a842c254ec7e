package dev.infera.server.rest;

import dev.infera.core.InferenceRequest;
import dev.infera.server.protocol.InferenceRequests;
import dev.infera.server.protocol.OutputRequest;
import dev.infera.spi.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** An inference request body as read from its JSON, before binary inputs are attached. */
record DecodedRequest(
    Optional<String> id,
    Map<String, Object> parameters,
    List<DecodedInput> inputs,
    List<OutputRequest> outputs) {

  DecodedRequest {
    parameters = Map.copyOf(parameters);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /**
   * The core's request, with the parameters and headers translated by the protocol layer.
   *
   * @param headers looks a request header up by lower-case name; null when absent
   */
  InferenceRequest toInferenceRequest(
      String modelName,
      Optional<String> modelVersion,
      List<Tensor> tensors,
      Function<String, String> headers) {
    return InferenceRequests.assemble(
        modelName, modelVersion, id, parameters, tensors, outputs, headers, options -> options);
  }
}
