package dev.infera.server.rest;

import dev.infera.server.protocol.RawTensors;
import dev.infera.server.protocol.TensorShapes;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary tensor data extension, request side. With the {@value #HEADER} header the body is that
 * many bytes of JSON followed by the raw data of every input that has a {@code binary_data_size}
 * parameter, in the order the inputs appear, each in the protocol's raw layout ({@link
 * RawTensors}).
 *
 * <p>Fixed-size binary inputs are views of the request body, not copies.
 */
final class BinaryFraming {
  static final String HEADER = "inference-header-content-length";

  private BinaryFraming() {}

  /** The length of the JSON part of a body of {@code bodyLength} bytes, given the header value. */
  static int jsonLength(String headerValue, int bodyLength) {
    if (headerValue == null) {
      return bodyLength;
    }
    long length;
    try {
      length = Long.parseLong(headerValue.trim());
    } catch (NumberFormatException e) {
      throw InferenceException.invalidArgument(
          "header Inference-Header-Content-Length: '"
              + headerValue
              + "' is not a non-negative integer");
    }
    if (length < 0) {
      throw InferenceException.invalidArgument(
          "header Inference-Header-Content-Length: " + length + " is negative");
    }
    if (length > bodyLength) {
      throw InferenceException.invalidArgument(
          "header Inference-Header-Content-Length: "
              + length
              + " is larger than the request body ("
              + bodyLength
              + " bytes)");
    }
    return (int) length;
  }

  /**
   * The tensors of every input, taking binary inputs in order from {@code body[from, to)}. Every
   * byte of that range must belong to an input.
   */
  static List<Tensor> attach(List<DecodedInput> inputs, byte[] body, int from, int to) {
    List<Tensor> tensors = new ArrayList<>(inputs.size());
    int position = from;
    for (DecodedInput input : inputs) {
      if (!input.isBinary()) {
        tensors.add(input.tensor()); // null for an input in shared memory, read by the caller
        continue;
      }
      long size = input.binaryDataSize();
      if (size > to - position) {
        throw InferenceException.invalidArgument(
            "input '"
                + input.name()
                + "': binary_data_size "
                + size
                + " is more than the "
                + (to - position)
                + " bytes of binary data left in the request body");
      }
      tensors.add(toTensor(input, ByteBuffer.wrap(body, position, (int) size)));
      position += (int) size;
    }
    if (position != to) {
      throw InferenceException.invalidArgument(
          (to - position)
              + " bytes of binary data follow the inputs' data; no input claims them"
              + " (check each input's binary_data_size)");
    }
    return tensors;
  }

  private static Tensor toTensor(DecodedInput input, ByteBuffer data) {
    // the shape passed the per-tensor limit when the JSON was read
    return RawTensors.decode(
        input.name(), input.type(), input.shape(), data, "binary data", TensorShapes.UNLIMITED);
  }
}
