package dev.infera.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.bench.input.TensorMeta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the inputs of a KServe v2 REST model metadata body. */
final class MetadataJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MetadataJson() {}

  /**
   * @throws IllegalStateException naming the model when the body has no usable inputs
   */
  static List<TensorMeta> inputs(String model, String body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("model '" + model + "': metadata is not JSON: " + body);
    }
    JsonNode inputs = root == null ? null : root.get("inputs");
    if (inputs == null || !inputs.isArray()) {
      throw new IllegalStateException("model '" + model + "': metadata has no inputs: " + body);
    }
    List<TensorMeta> result = new ArrayList<>();
    for (JsonNode input : inputs) {
      String name = input.path("name").asText();
      JsonNode shapeNode = input.path("shape");
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeNode.get(i).asLong();
      }
      result.add(
          new TensorMeta(name, TensorMeta.dataType(name, input.path("datatype").asText()), shape));
    }
    return result;
  }
}
