package dev.infera.server.rest;

import dev.infera.core.RequestedOutput;
import dev.infera.server.extension.SharedMemoryTensors;
import dev.infera.spi.InferenceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How each output of a response is encoded: as JSON {@code data} or as binary data after the JSON
 * ({@code binary_data}, defaulting to the request's {@code binary_data_output}), and whether it is
 * turned into top-k classification strings ({@code classification}).
 */
final class OutputOptions {
  static final String BINARY_DATA = "binary_data";
  static final String CLASSIFICATION = "classification";

  private final Map<String, Map<String, Object>> parameters = new HashMap<>();
  private final boolean binaryByDefault;

  OutputOptions(List<RequestedOutput> outputs, boolean binaryByDefault) {
    for (RequestedOutput output : outputs) {
      parameters.put(output.name(), output.parameters());
    }
    this.binaryByDefault = binaryByDefault;
  }

  static OutputOptions of(DecodedRequest request) {
    return new OutputOptions(request.outputs(), request.binaryOutputByDefault());
  }

  /** Checks an output's parameters as soon as they are read, so bad ones fail before inference. */
  static void check(String name, Map<String, Object> parameters) {
    String owner = "output '" + name + "'";
    JsonParameters.flag(parameters, BINARY_DATA, owner, false);
    if (SharedMemoryTensors.placement(owner, parameters) != null
        && parameters.containsKey(CLASSIFICATION)) {
      throw InferenceException.invalidArgument(
          owner + ": classification cannot be written to shared memory");
    }
    if (parameters.containsKey(CLASSIFICATION)) {
      long count = JsonParameters.count(parameters, CLASSIFICATION, owner);
      if (count < 1 || count > Integer.MAX_VALUE) {
        throw InferenceException.invalidArgument(
            owner + ": parameter '" + CLASSIFICATION + "' must be a positive integer");
      }
    }
  }

  boolean binary(String name) {
    Map<String, Object> own = parameters.getOrDefault(name, Map.of());
    return JsonParameters.flag(own, BINARY_DATA, "output '" + name + "'", binaryByDefault);
  }

  /** The number of classes to report for an output, or 0 to report its values. */
  int classification(String name) {
    Map<String, Object> own = parameters.getOrDefault(name, Map.of());
    long count = JsonParameters.count(own, CLASSIFICATION, "output '" + name + "'");
    return count < 0 ? 0 : (int) count;
  }
}
