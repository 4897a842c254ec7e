package dev.infera.server.grpc;

import com.google.protobuf.ByteString;
import dev.infera.server.grpc.proto.InferTensorContents;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferRequest.InferInputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builders for protocol messages used across the tests. */
final class Messages {
  private Messages() {}

  static InferInputTensor input(String name, String datatype, long... shape) {
    InferInputTensor.Builder input =
        InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
    for (long dim : shape) {
      input.addShape(dim);
    }
    return input.build();
  }

  static InferInputTensor typed(
      String name, String datatype, InferTensorContents contents, long... shape) {
    return input(name, datatype, shape).toBuilder().setContents(contents).build();
  }

  static ModelInferRequest typedRequest(String model, InferInputTensor... inputs) {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
    for (InferInputTensor input : inputs) {
      request.addInputs(input);
    }
    return request.build();
  }

  static ModelInferRequest rawRequest(String model, InferInputTensor input, ByteString raw) {
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .addInputs(input)
        .addRawInputContents(raw)
        .build();
  }

  static ByteBuffer littleEndian(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  static ByteString bytes(ByteBuffer buffer) {
    return ByteString.copyFrom(buffer.array());
  }

  /** Raw BYTES contents: each element as a 4-byte little-endian length and its bytes. */
  static ByteString rawBytes(byte[]... elements) {
    int size = 0;
    for (byte[] element : elements) {
      size += 4 + element.length;
    }
    ByteBuffer buffer = littleEndian(size);
    for (byte[] element : elements) {
      buffer.putInt(element.length).put(element);
    }
    return bytes(buffer);
  }
}
