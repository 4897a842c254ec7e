package dev.infera.server.it;

import dev.infera.server.grpc.proto.InferTensorContents;
import dev.infera.server.grpc.proto.ModelInferRequest;
import java.util.Collections;

/** Hand-built gRPC requests, for calls that need the stub's own options (deadlines). */
final class GrpcRequests {
  private GrpcRequests() {}

  /** INPUT0 = 7s and INPUT1 = 3s, [1, 16] INT32, for models shaped like the examples' simple. */
  static ModelInferRequest add(String model) {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
    for (String[] input : new String[][] {{"INPUT0", "7"}, {"INPUT1", "3"}}) {
      request
          .addInputsBuilder()
          .setName(input[0])
          .setDatatype("INT32")
          .addShape(1)
          .addShape(16)
          .setContents(
              InferTensorContents.newBuilder()
                  .addAllIntContents(Collections.nCopies(16, Integer.parseInt(input[1]))));
    }
    return request.build();
  }
}
