package dev.infera.server.rest;

import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary tensor data extension, request side. With the {@value #HEADER} header the body is that
 * many bytes of JSON followed by the raw data of every input that has a {@code binary_data_size}
 * parameter, in the order the inputs appear. Fixed-size data is little-endian and row-major; a
 * BYTES element is a 4-byte little-endian length followed by its bytes.
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
    if (input.type() == DataType.BYTES) {
      return Tensor.ofBytes(input.name(), input.shape(), readStrings(input, data));
    }
    long expected = Tensor.elementCount(input.shape()) * input.type().byteSize();
    if (data.remaining() != expected) {
      throw InferenceException.invalidArgument(
          "input '"
              + input.name()
              + "': binary_data_size "
              + data.remaining()
              + " does not match "
              + input.type()
              + " shape "
              + Arrays.toString(input.shape())
              + " (expected "
              + expected
              + " bytes)");
    }
    return Tensor.of(
        input.name(), input.type(), input.shape(), data.order(ByteOrder.LITTLE_ENDIAN));
  }

  private static List<byte[]> readStrings(DecodedInput input, ByteBuffer data) {
    long expected = Tensor.elementCount(input.shape());
    data.order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> elements = new ArrayList<>((int) Math.min(expected, data.remaining() / 4));
    while (data.hasRemaining()) {
      if (elements.size() == expected) {
        throw InferenceException.invalidArgument(
            "input '"
                + input.name()
                + "': binary data holds more than the "
                + expected
                + " BYTES elements of shape "
                + Arrays.toString(input.shape()));
      }
      if (data.remaining() < 4) {
        throw truncated(input, elements.size());
      }
      int length = data.getInt();
      if (length < 0 || length > data.remaining()) {
        throw truncated(input, elements.size());
      }
      byte[] element = new byte[length];
      data.get(element);
      elements.add(element);
    }
    if (elements.size() != expected) {
      throw InferenceException.invalidArgument(
          "input '"
              + input.name()
              + "': binary data holds "
              + elements.size()
              + " BYTES elements, shape "
              + Arrays.toString(input.shape())
              + " needs "
              + expected);
    }
    return elements;
  }

  private static InferenceException truncated(DecodedInput input, int index) {
    return InferenceException.invalidArgument(
        "input '"
            + input.name()
            + "': BYTES element "
            + index
            + " runs past its binary_data_size (each element is a 4-byte little-endian length"
            + " and that many bytes)");
  }
}
