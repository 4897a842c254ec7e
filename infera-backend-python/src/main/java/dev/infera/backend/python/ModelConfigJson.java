package dev.infera.backend.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The model configuration as {@code model.py} sees it: the JSON object Triton passes in {@code
 * args["model_config"]} and to {@code auto_complete_config} ({@code name}, {@code backend}, {@code
 * max_batch_size}, {@code input} and {@code output} with {@code data_type} and {@code dims} less
 * the batch dimension, {@code parameters} with {@code string_value}s), and back from it, the
 * signature Infera serves.
 */
final class ModelConfigJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ModelConfigJson() {}

  static ObjectNode of(ModelLoadRequest request) {
    ObjectNode config = NODES.objectNode();
    config.put("name", request.modelName());
    config.put("backend", "python");
    int maxBatchSize = Math.max(0, request.maxBatchSize());
    config.put("max_batch_size", maxBatchSize);
    config.set("input", tensors(request.declared().inputs(), maxBatchSize > 0));
    config.set("output", tensors(request.declared().outputs(), maxBatchSize > 0));
    ObjectNode parameters = config.putObject("parameters");
    for (Map.Entry<String, String> parameter : request.parameters().entrySet()) {
      parameters.putObject(parameter.getKey()).put("string_value", parameter.getValue());
    }
    ArrayNode groups = config.putArray("instance_group");
    for (int i = 0; i < request.instanceCount(); i++) {
      ObjectNode group = groups.addObject();
      group.put("name", request.modelName() + "_" + i);
      group.put("count", 1);
      if (request.deviceOf(i).isPresent()) {
        group.put("kind", "KIND_GPU");
        group.putArray("gpus").add(request.deviceOf(i).getAsInt());
      } else {
        group.put("kind", "KIND_CPU");
      }
    }
    return config;
  }

  private static ArrayNode tensors(List<TensorSpec> specs, boolean batched) {
    ArrayNode array = NODES.arrayNode();
    for (TensorSpec spec : specs) {
      ObjectNode tensor = array.addObject();
      tensor.put("name", spec.name());
      tensor.put("data_type", spec.dataType().tritonName());
      ArrayNode dims = tensor.putArray("dims");
      long[] shape = spec.shape();
      for (int d = batched ? 1 : 0; d < shape.length; d++) {
        dims.add(shape[d]);
      }
    }
    return array;
  }

  /**
   * The signature a (possibly auto-completed) configuration declares: full shapes, -1 prepended for
   * the batch dimension when {@code max_batch_size > 0}.
   *
   * @param where names the model in messages
   */
  static ModelSignature signature(JsonNode config, String where) {
    boolean batched = config.path("max_batch_size").asInt(0) > 0;
    List<String> problems = new ArrayList<>();
    List<TensorSpec> inputs = specs(config.path("input"), "input", batched, problems);
    List<TensorSpec> outputs = specs(config.path("output"), "output", batched, problems);
    if (inputs.isEmpty() || outputs.isEmpty()) {
      problems.add(
          "no "
              + (inputs.isEmpty() ? "inputs" : "outputs")
              + " declared: give them in config.pbtxt or add them in"
              + " TritonPythonModel.auto_complete_config");
    }
    if (!problems.isEmpty()) {
      throw new InferenceException(
          ErrorCode.INVALID_ARGUMENT, where + ": " + String.join("; ", problems));
    }
    return new ModelSignature(inputs, outputs);
  }

  private static List<TensorSpec> specs(
      JsonNode array, String section, boolean batched, List<String> problems) {
    List<TensorSpec> specs = new ArrayList<>();
    for (JsonNode tensor : array) {
      String name = tensor.path("name").asText("");
      String type = tensor.path("data_type").asText("");
      DataType dataType = DataType.fromTritonName(type).orElse(null);
      if (name.isEmpty() || dataType == null || !tensor.path("dims").isArray()) {
        problems.add(
            section
                + " '"
                + name
                + "': needs a name, a data_type such as TYPE_FP32 and dims (got "
                + tensor
                + ")");
        continue;
      }
      if (dataType == DataType.BF16) {
        problems.add(section + " '" + name + "': TYPE_BF16 has no NumPy type");
        continue;
      }
      List<Long> dims = new ArrayList<>();
      if (batched) {
        dims.add(-1L);
      }
      for (JsonNode dim : tensor.path("dims")) {
        dims.add(dim.asLong());
      }
      long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
      if (Arrays.stream(shape).anyMatch(d -> d < -1)) {
        problems.add(section + " '" + name + "': dims " + dims + " (expected -1 or >= 0)");
        continue;
      }
      specs.add(new TensorSpec(name, dataType, shape));
    }
    return specs;
  }
}
