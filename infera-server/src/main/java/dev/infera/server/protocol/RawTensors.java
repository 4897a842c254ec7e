package dev.infera.server.protocol;

import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The protocol's raw tensor layout, written once for every place tensors travel as bytes: REST's
 * binary tensor data, gRPC's {@code raw_input_contents} and {@code raw_output_contents}, shared
 * memory regions and Triton's raw binary request. Elements are row-major and little-endian without
 * padding; a BOOL is one byte; a BYTES element is a 4-byte little-endian length followed by that
 * many bytes.
 *
 * <p>Fixed-size data is not copied: a decoded input reads the given buffer through a view
 * (read-only when the buffer is), and an encoded output hands out its own buffer (tensors are
 * immutable by contract). Stateless.
 */
public final class RawTensors {
  /** The bytes of a BYTES element's length prefix. */
  public static final int LENGTH_PREFIX_BYTES = 4;

  private static final int CHUNK = 8192;

  private RawTensors() {}

  /**
   * An input tensor from its raw bytes ({@code raw}'s remaining bytes, which the tensor may view).
   *
   * @param source names where the bytes came from in messages, such as {@code "binary data"} or
   *     {@code "raw contents"}
   * @throws InferenceException INVALID_ARGUMENT naming the tensor when the shape is invalid or the
   *     bytes do not hold its elements exactly
   */
  public static Tensor decode(
      String name,
      DataType type,
      long[] shape,
      ByteBuffer raw,
      String source,
      TensorShapes shapes) {
    String owner = "input '" + name + "'";
    ByteBuffer data = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (type == DataType.BYTES) {
      return Tensor.ofBytes(name, shape, decodeBytes(owner, shape, data, source, shapes));
    }
    long expected = shapes.byteSize(owner, type, shape);
    if (data.remaining() != expected) {
      throw InferenceException.invalidArgument(
          owner
              + ": "
              + source
              + " holds "
              + data.remaining()
              + " bytes for "
              + type
              + " shape "
              + Arrays.toString(shape)
              + " (expected "
              + expected
              + " bytes)");
    }
    return Tensor.of(name, type, shape, data);
  }

  private static List<byte[]> decodeBytes(
      String owner, long[] shape, ByteBuffer data, String source, TensorShapes shapes) {
    long count = shapes.elementCount(owner, shape);
    List<byte[]> elements =
        new ArrayList<>((int) Math.min(count, data.remaining() / LENGTH_PREFIX_BYTES + 1));
    while (data.hasRemaining()) {
      if (elements.size() == count) {
        throw bytesError(owner, shape, source, "more than " + count + " elements", count);
      }
      if (data.remaining() < LENGTH_PREFIX_BYTES) {
        throw bytesError(owner, shape, source, "a truncated length prefix", count);
      }
      int length = data.getInt();
      if (length < 0 || length > data.remaining()) {
        throw bytesError(
            owner,
            shape,
            source,
            "element "
                + elements.size()
                + " of length "
                + Integer.toUnsignedLong(length)
                + " with "
                + data.remaining()
                + " bytes left",
            count);
      }
      byte[] element = new byte[length];
      data.get(element);
      elements.add(element);
    }
    if (elements.size() != count) {
      throw bytesError(owner, shape, source, elements.size() + " elements", count);
    }
    return elements;
  }

  private static InferenceException bytesError(
      String owner, long[] shape, String source, String found, long count) {
    return InferenceException.invalidArgument(
        owner
            + ": "
            + source
            + " holds "
            + found
            + " for BYTES shape "
            + Arrays.toString(shape)
            + " (expected "
            + count
            + " elements, each a 4-byte little-endian length and its bytes)");
  }

  /** The number of bytes the tensor takes in the raw layout. */
  public static long size(Tensor tensor) {
    if (tensor.dataType() == DataType.BYTES) {
      return tensor.byteSize() + (long) LENGTH_PREFIX_BYTES * tensor.elementCount();
    }
    return tensor.byteSize();
  }

  /**
   * The tensor's raw bytes as a buffer: fixed-size data is a view of the tensor's own buffer (not
   * to be written: tensors are immutable); BYTES elements are framed into a new one.
   */
  public static ByteBuffer encode(Tensor tensor) {
    if (tensor.dataType() != DataType.BYTES) {
      return tensor.data();
    }
    ByteBuffer out =
        ByteBuffer.allocate(Math.toIntExact(size(tensor))).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] element : tensor.elements()) {
      out.putInt(element.length);
      out.put(element);
    }
    return out.flip();
  }

  /** Writes the tensor's raw bytes to a stream, without building them in memory first. */
  public static void write(Tensor tensor, OutputStream out) throws IOException {
    if (tensor.dataType() == DataType.BYTES) {
      for (byte[] element : tensor.elements()) {
        int n = element.length;
        out.write(n);
        out.write(n >>> 8);
        out.write(n >>> 16);
        out.write(n >>> 24);
        out.write(element);
      }
      return;
    }
    ByteBuffer data = tensor.data();
    if (data.hasArray()) {
      out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
      return;
    }
    byte[] chunk = new byte[Math.min(CHUNK, data.remaining())];
    while (data.hasRemaining()) {
      int n = Math.min(chunk.length, data.remaining());
      data.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }
}
