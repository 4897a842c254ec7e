package dev.infera.bench.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.infera.bench.input.InputTensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes KServe v2 request JSON: inputs with flat {@code data} arrays, or, for the binary tensor
 * extension, with {@code parameters.binary_data_size} and the raw bytes after the JSON.
 */
final class JsonRequestBody {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonRequestBody() {}

  /** The whole body of a JSON request. */
  static byte[] json(List<InputTensor> inputs) {
    return write(inputs, false);
  }

  /** The JSON header of a binary request; the tensors' raw bytes follow it in input order. */
  static byte[] binaryHeader(List<InputTensor> inputs) {
    return write(inputs, true);
  }

  private static byte[] write(List<InputTensor> inputs, boolean binary) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("inputs");
      for (InputTensor input : inputs) {
        json.writeStartObject();
        json.writeStringField("name", input.name());
        json.writeArrayFieldStart("shape");
        for (long dim : input.shape()) {
          json.writeNumber(dim);
        }
        json.writeEndArray();
        json.writeStringField("datatype", input.type().name());
        if (binary) {
          json.writeObjectFieldStart("parameters");
          json.writeNumberField("binary_data_size", input.raw().length);
          json.writeEndObject();
        } else {
          json.writeFieldName("data");
          writeData(json, input);
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      if (binary) {
        json.writeObjectFieldStart("parameters");
        json.writeBooleanField("binary_data_output", true);
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeData(JsonGenerator json, InputTensor input) throws IOException {
    ByteBuffer data = input.buffer();
    long count = input.elementCount();
    json.writeStartArray();
    for (long i = 0; i < count; i++) {
      switch (input.type()) {
        case BOOL -> json.writeBoolean(data.get() != 0);
        case INT8 -> json.writeNumber(data.get());
        case UINT8 -> json.writeNumber(data.get() & 0xff);
        case INT16 -> json.writeNumber(data.getShort());
        case UINT16 -> json.writeNumber(data.getShort() & 0xffff);
        case INT32 -> json.writeNumber(data.getInt());
        case UINT32 -> json.writeNumber(data.getInt() & 0xffffffffL);
        case INT64 -> json.writeNumber(data.getLong());
        case UINT64 -> json.writeNumber(Long.toUnsignedString(data.getLong()));
        case FP32 -> json.writeNumber(data.getFloat());
        case FP64 -> json.writeNumber(data.getDouble());
        case BYTES -> {
          byte[] bytes = new byte[data.getInt()];
          data.get(bytes);
          json.writeString(new String(bytes, StandardCharsets.UTF_8));
        }
        default ->
            throw new IllegalArgumentException(
                "input '"
                    + input.name()
                    + "': "
                    + input.type()
                    + " cannot be sent as JSON; use --protocol rest-binary or grpc");
      }
    }
    json.writeEndArray();
  }
}
