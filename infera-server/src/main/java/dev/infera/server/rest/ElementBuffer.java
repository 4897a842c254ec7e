package dev.infera.server.rest;

import dev.infera.spi.InferenceException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A growable little-endian buffer that fixed-size tensor elements are decoded into, without boxing.
 * Heap memory, whatever the size: a fresh direct buffer costs the JVM's zero-fill and the kernel's
 * page mapping on first touch (about 2 ms per 600 KB on the 2-core benchmark machine), more than a
 * native runtime's copy into a direct buffer it keeps (ONNX Runtime's staging). Confined to the
 * thread decoding one request.
 */
final class ElementBuffer {
  /** The largest array the JVM allocates. */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  private ByteBuffer buffer;

  /** A buffer sized for {@code expectedBytes}, growing beyond it if needed. */
  ElementBuffer(long expectedBytes) {
    buffer = allocate((int) Math.min(Math.max(expectedBytes, 16), MAX_BYTES));
  }

  private static ByteBuffer allocate(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private void ensure(int bytes) {
    if (buffer.remaining() >= bytes) {
      return;
    }
    long needed = (long) buffer.position() + bytes;
    if (needed > MAX_BYTES) {
      // Reachable only with --max-request-bytes far above its default: a client's input, a 400.
      throw InferenceException.invalidArgument(
          "a tensor's JSON data comes to more than 2 GiB (expected less; send a tensor that large"
              + " as binary data)");
    }
    long wanted = Math.min(Math.max((long) buffer.capacity() * 2, needed), MAX_BYTES);
    ByteBuffer larger = allocate((int) wanted);
    buffer.flip();
    larger.put(buffer);
    buffer = larger;
  }

  void putByte(byte value) {
    ensure(1);
    buffer.put(value);
  }

  void putShort(short value) {
    ensure(2);
    buffer.putShort(value);
  }

  void putInt(int value) {
    ensure(4);
    buffer.putInt(value);
  }

  void putLong(long value) {
    ensure(8);
    buffer.putLong(value);
  }

  void putFloat(float value) {
    ensure(4);
    buffer.putFloat(value);
  }

  void putDouble(double value) {
    ensure(8);
    buffer.putDouble(value);
  }

  /** The bytes written so far, as a little-endian buffer positioned at 0. */
  ByteBuffer written() {
    ByteBuffer view = buffer.duplicate();
    view.flip();
    return view.order(ByteOrder.LITTLE_ENDIAN);
  }
}
