package dev.infera.server.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.OutputOptions;
import dev.infera.server.extension.SharedMemoryOutputs;
import dev.infera.server.protocol.ClassLabels;
import dev.infera.server.protocol.Classification;
import dev.infera.server.protocol.RawTensors;
import dev.infera.spi.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes an inference response with Jackson's streaming generator straight from the output buffers:
 * {@code model_name}, {@code model_version}, {@code id} (when the request had one), and the
 * outputs, each with its {@code data} or, for binary outputs, {@code parameters.binary_data_size}
 * and its bytes after the JSON. Stateless and thread-safe.
 */
final class InferResponseEncoder {
  private InferResponseEncoder() {}

  static EncodedResponse encode(InferenceResponse response, InferenceRequest request) {
    return encode(response, request, SharedMemoryOutputs.NONE, ClassLabels.NONE);
  }

  /**
   * Encodes a response; outputs in {@code regions} are written to their shared memory regions and
   * carry the region's parameters instead of data.
   */
  static EncodedResponse encode(
      InferenceResponse response,
      InferenceRequest request,
      SharedMemoryOutputs regions,
      ClassLabels labels) {
    Optional<String> requestId = request.id();
    List<Tensor> outputs = new ArrayList<>(response.outputs().size());
    boolean[] binary = new boolean[response.outputs().size()];
    List<Map<String, Object>> placed = new ArrayList<>(response.outputs().size());
    long binaryBytes = 0;
    for (Tensor output : response.outputs()) {
      placed.add(regions.contains(output.name()) ? regions.write(output) : null);
      OutputOptions options = request.outputOptions(output.name());
      int k = options.classCount();
      Tensor encoded =
          k > 0
              ? Classification.topK(output, k, labels.of(output.name()), labels.batched())
              : output;
      binary[outputs.size()] = placed.get(outputs.size()) == null && options.binary();
      if (binary[outputs.size()]) {
        binaryBytes += RawTensors.size(encoded);
      }
      outputs.add(encoded);
    }
    Buffer out = new Buffer((int) Math.min(Integer.MAX_VALUE - 8, 256 + binaryBytes));
    try {
      try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
        writeJson(json, response, requestId, outputs, binary, placed);
      }
      int jsonLength = out.size();
      for (int i = 0; i < outputs.size(); i++) {
        if (binary[i]) {
          RawTensors.write(outputs.get(i), out);
        }
      }
      return new EncodedResponse(out.array(), out.size(), jsonLength);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeJson(
      JsonGenerator json,
      InferenceResponse response,
      Optional<String> requestId,
      List<Tensor> outputs,
      boolean[] binary,
      List<Map<String, Object>> placed)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("model_name", response.modelName());
    json.writeStringField("model_version", response.modelVersion());
    if (requestId.isPresent()) {
      json.writeStringField("id", requestId.get());
    }
    if (!response.parameters().isEmpty()) {
      json.writeFieldName("parameters");
      writeParameters(json, response.parameters());
    }
    json.writeArrayFieldStart("outputs");
    for (int i = 0; i < outputs.size(); i++) {
      writeOutput(json, outputs.get(i), binary[i], placed.get(i));
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void writeOutput(
      JsonGenerator json, Tensor output, boolean binary, Map<String, Object> placed)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("name", output.name());
    json.writeStringField("datatype", output.dataType().protocolName());
    json.writeArrayFieldStart("shape");
    for (int d = 0; d < output.rank(); d++) {
      json.writeNumber(output.dim(d));
    }
    json.writeEndArray();
    if (placed != null) {
      json.writeFieldName("parameters");
      writeParameters(json, placed);
    } else if (binary) {
      json.writeObjectFieldStart("parameters");
      json.writeNumberField("binary_data_size", RawTensors.size(output));
      json.writeEndObject();
    } else {
      json.writeFieldName("data");
      JsonTensorWriter.writeData(json, output);
    }
    json.writeEndObject();
  }

  private static void writeParameters(JsonGenerator json, Map<String, Object> parameters)
      throws IOException {
    json.writeStartObject();
    for (Map.Entry<String, Object> entry : parameters.entrySet()) {
      json.writeFieldName(entry.getKey());
      Object value = entry.getValue();
      if (value instanceof Boolean b) {
        json.writeBoolean(b);
      } else if (value instanceof Long n) {
        json.writeNumber(n);
      } else if (value instanceof Double d) {
        json.writeNumber(d);
      } else {
        json.writeString(String.valueOf(value));
      }
    }
    json.writeEndObject();
  }

  /** A byte array stream that hands out its array without copying. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int capacity) {
      super(capacity);
    }

    byte[] array() {
      return buf;
    }
  }
}
