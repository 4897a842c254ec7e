package dev.infera.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.infera.core.ModelMetadata;
import dev.infera.server.grpc.proto.InferParameter;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.protocol.RequestParameters;
import dev.infera.spi.DataType;
import dev.infera.spi.TensorSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One model's synthetic warm-up request in the three wire forms the server decodes: REST JSON, REST
 * with the binary tensor data extension, and gRPC {@code ModelInfer} with raw input contents. Built
 * from the model's signature as Triton builds a {@code zero_data} warm-up sample: zeros, {@code
 * false} for BOOL and the one-character string {@code "0"} for BYTES; a batchable model's batch
 * dimension is 1.
 *
 * @param model the model's name (the request names no version: the highest ready one answers)
 * @param json the REST JSON body
 * @param binary the REST body with binary tensor data
 * @param binaryHeaderLength the JSON part's length of {@code binary}, for {@code
 *     Inference-Header-Content-Length}
 * @param grpc the gRPC request
 */
record WarmupRequests(
    String model, byte[] json, byte[] binary, int binaryHeaderLength, ModelInferRequest grpc) {
  private static final JsonFactory JSON = new JsonFactory();

  private static final String ENSEMBLE = "ensemble";

  /** The most elements one synthetic input may have; larger signatures are not warmed. */
  static final long MAX_ELEMENTS = 1 << 20;

  /**
   * The warm-up requests of a model, or why its signature cannot be synthesised (a dynamic
   * dimension other than the batch, an input too large).
   */
  static Synthesis of(ModelMetadata metadata) {
    if (metadata.platform().equals(ENSEMBLE)) {
      return new Synthesis(
          Optional.empty(), "an ensemble (its step models are warmed on their own)");
    }
    List<Input> inputs = new ArrayList<>();
    for (TensorSpec spec : metadata.inputs()) {
      long[] shape = spec.shape();
      if (metadata.maxBatchSize() > 0 && shape.length > 0 && shape[0] == -1) {
        shape[0] = 1;
      }
      long elements = 1;
      for (long dim : shape) {
        if (dim < 0) {
          return new Synthesis(
              Optional.empty(),
              "input '"
                  + spec.name()
                  + "' has the dynamic shape "
                  + Arrays.toString(spec.shape())
                  + " (no fixed size to fill)");
        }
        elements *= dim;
        if (elements > MAX_ELEMENTS) {
          return new Synthesis(
              Optional.empty(),
              "input '" + spec.name() + "' has more than " + MAX_ELEMENTS + " elements");
        }
      }
      inputs.add(new Input(spec.name(), spec.dataType(), shape, (int) elements));
    }
    if (inputs.isEmpty()) {
      return new Synthesis(Optional.empty(), "the model declares no inputs");
    }
    return new Synthesis(Optional.of(build(metadata.name(), inputs)), "");
  }

  /** The requests, or empty with the reason in {@code skipped}. */
  record Synthesis(Optional<WarmupRequests> requests, String skipped) {}

  private record Input(String name, DataType type, long[] shape, int elements) {
    byte[] raw() {
      if (type != DataType.BYTES) {
        return new byte[elements * type.byteSize()];
      }
      ByteBuffer buffer = ByteBuffer.allocate(elements * 5).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < elements; i++) {
        buffer.putInt(1).put((byte) '0');
      }
      return buffer.array();
    }
  }

  private static WarmupRequests build(String model, List<Input> inputs) {
    byte[] json = json(inputs, false);
    byte[] header = json(inputs, true);
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    binary.writeBytes(header);
    ModelInferRequest.Builder grpc = ModelInferRequest.newBuilder().setModelName(model);
    for (Input input : inputs) {
      byte[] raw = input.raw();
      binary.writeBytes(raw);
      grpc.addInputs(
              ModelInferRequest.InferInputTensor.newBuilder()
                  .setName(input.name())
                  .setDatatype(input.type().protocolName())
                  .addAllShape(Arrays.stream(input.shape()).boxed().toList()))
          .addRawInputContents(ByteString.copyFrom(raw));
    }
    grpc.putParameters(
        RequestParameters.BINARY_DATA_OUTPUT,
        InferParameter.newBuilder().setBoolParam(true).build());
    return new WarmupRequests(model, json, binary.toByteArray(), header.length, grpc.build());
  }

  private static byte[] json(List<Input> inputs, boolean binaryData) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("inputs");
      for (Input input : inputs) {
        g.writeStartObject();
        g.writeStringField("name", input.name());
        g.writeArrayFieldStart("shape");
        for (long dim : input.shape()) {
          g.writeNumber(dim);
        }
        g.writeEndArray();
        g.writeStringField("datatype", input.type().protocolName());
        if (binaryData) {
          g.writeObjectFieldStart("parameters");
          g.writeNumberField(RequestParameters.BINARY_DATA_SIZE, input.raw().length);
          g.writeEndObject();
        } else {
          g.writeArrayFieldStart("data");
          for (int i = 0; i < input.elements(); i++) {
            writeZero(g, input.type());
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      if (binaryData) {
        g.writeObjectFieldStart("parameters");
        g.writeBooleanField(RequestParameters.BINARY_DATA_OUTPUT, true);
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeZero(JsonGenerator g, DataType type) throws IOException {
    switch (type) {
      case BOOL -> g.writeBoolean(false);
      case BYTES -> g.writeString("0");
      default -> g.writeNumber(0);
    }
  }
}
