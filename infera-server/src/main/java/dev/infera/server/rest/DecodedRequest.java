package dev.infera.server.rest;

import dev.infera.core.InferenceRequest;
import dev.infera.core.RequestedOutput;
import dev.infera.spi.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An inference request body as read from its JSON, before binary inputs are attached. */
record DecodedRequest(
    Optional<String> id,
    Map<String, Object> parameters,
    List<DecodedInput> inputs,
    List<RequestedOutput> outputs) {

  static final String BINARY_DATA_OUTPUT = "binary_data_output";

  DecodedRequest {
    parameters = Map.copyOf(parameters);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  InferenceRequest toInferenceRequest(
      String modelName, Optional<String> modelVersion, List<Tensor> tensors) {
    return new InferenceRequest(modelName, modelVersion, id, tensors, outputs, parameters);
  }

  /** Whether outputs that do not say otherwise are sent as binary data. */
  boolean binaryOutputByDefault() {
    return JsonParameters.flag(parameters, BINARY_DATA_OUTPUT, "request", false);
  }
}
