package dev.infera.server.rest;

import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The binary tensor data extension, response side: an output's raw bytes as they follow the JSON.
 * Fixed-size data is copied as it is (little-endian); a BYTES element is a 4-byte little-endian
 * length followed by its bytes.
 */
final class BinaryTensorWriter {
  private static final int CHUNK = 8192;

  private BinaryTensorWriter() {}

  /** The number of bytes {@link #write} produces for the tensor. */
  static long size(Tensor tensor) {
    if (tensor.dataType() == DataType.BYTES) {
      return tensor.byteSize() + 4L * tensor.elementCount();
    }
    return tensor.byteSize();
  }

  static void write(Tensor tensor, OutputStream out) throws IOException {
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
