package dev.infera.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Converts between tensors and the protocol's raw contents: the elements in row-major order,
 * little-endian, without padding; a BYTES element is a 4-byte little-endian length followed by its
 * bytes.
 *
 * <p>Fixed-size data is not copied either way: an input tensor reads the message's bytes through a
 * read-only view, and an output's bytes are wrapped, not copied, into the response (tensors are
 * immutable by contract).
 */
public final class RawContents {
  private static final int LENGTH_PREFIX_BYTES = 4;

  private RawContents() {}

  /** Builds an input tensor from its raw contents; size problems name the tensor. */
  public static Tensor decode(String name, DataType type, long[] shape, ByteString raw) {
    if (type == DataType.BYTES) {
      return decodeBytes(name, shape, raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }
    long expected = (long) TensorShapes.byteSize(name, type, shape);
    if (raw.size() != expected) {
      throw InferenceException.invalidArgument(
          "input '"
              + name
              + "': raw contents hold "
              + raw.size()
              + " bytes for shape "
              + Arrays.toString(shape)
              + " of "
              + type
              + " (expected "
              + expected
              + ")");
    }
    return Tensor.of(name, type, shape, raw.asReadOnlyByteBuffer());
  }

  private static Tensor decodeBytes(String name, long[] shape, ByteBuffer raw) {
    long count = TensorShapes.elementCount(name, shape);
    List<byte[]> elements = new ArrayList<>((int) Math.min(count, raw.remaining() / 4 + 1));
    while (raw.hasRemaining()) {
      if (elements.size() == count) {
        throw bytesError(name, shape, "more than " + count + " elements", count);
      }
      if (raw.remaining() < LENGTH_PREFIX_BYTES) {
        throw bytesError(name, shape, "a truncated length prefix", count);
      }
      int length = raw.getInt();
      if (length < 0 || length > raw.remaining()) {
        throw bytesError(
            name,
            shape,
            "element "
                + elements.size()
                + " of length "
                + Integer.toUnsignedLong(length)
                + " with "
                + raw.remaining()
                + " bytes left",
            count);
      }
      byte[] element = new byte[length];
      raw.get(element);
      elements.add(element);
    }
    if (elements.size() != count) {
      throw bytesError(name, shape, elements.size() + " elements", count);
    }
    return Tensor.ofBytes(name, shape, elements);
  }

  private static InferenceException bytesError(
      String name, long[] shape, String found, long count) {
    return InferenceException.invalidArgument(
        "input '"
            + name
            + "': raw BYTES contents hold "
            + found
            + " for shape "
            + Arrays.toString(shape)
            + " (expected "
            + count
            + " elements, each a 4-byte little-endian length and its bytes)");
  }

  /** The raw contents of an output tensor. */
  public static ByteString encode(Tensor tensor) {
    if (tensor.dataType() != DataType.BYTES) {
      return UnsafeByteOperations.unsafeWrap(tensor.data());
    }
    List<byte[]> elements = tensor.elements();
    long size = tensor.byteSize() + (long) LENGTH_PREFIX_BYTES * elements.size();
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] element : elements) {
      out.putInt(element.length);
      out.put(element);
    }
    return UnsafeByteOperations.unsafeWrap(out.array());
  }
}
