package dev.infera.server.extension;

import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One registered system shared memory region: {@code byteSize} bytes of a POSIX shared memory
 * object from {@code offset}, mapped read-write by the server.
 *
 * <p>Lifetime: a request resolves the regions it names when it arrives and keeps the region object
 * until it is answered. Unregistering removes the region from the registry only; the mapping stays
 * valid for as long as a request holds it (Java unmaps it once it is unreachable), so a request
 * that arrived before the unregistration still reads and writes the memory it resolved, which the
 * client still shares. Reads copy the bytes out; writes copy them in.
 *
 * <p>Thread-safe: the mapping is never read through its own position; every access works on a
 * duplicate.
 */
public final class SharedMemoryRegion {
  private final String name;
  private final String key;
  private final Path file;
  private final long offset;
  private final MappedByteBuffer mapping;

  SharedMemoryRegion(String name, String key, Path file, long offset, MappedByteBuffer mapping) {
    this.name = name;
    this.key = key;
    this.file = file;
    this.offset = offset;
    this.mapping = mapping;
  }

  public String name() {
    return name;
  }

  /** The shared memory object's key, such as {@code /input_data}. */
  public String key() {
    return key;
  }

  /** Where the region starts in the shared memory object, in bytes. */
  public long offset() {
    return offset;
  }

  public long byteSize() {
    return mapping.capacity();
  }

  /**
   * A copy of {@code byteSize} bytes from {@code at} within the region.
   *
   * @param what names the tensor in messages, such as {@code input 'INPUT0'}
   * @throws InferenceException INVALID_ARGUMENT when the bytes are not all inside the region
   */
  public byte[] read(long at, long byteSize, String what) {
    checkBounds(at, byteSize, what);
    byte[] copy = new byte[(int) byteSize];
    access(what, () -> mapping.duplicate().position((int) at).get(copy));
    return copy;
  }

  /**
   * Copies {@code data} (all its remaining bytes) to {@code at} within the region, where the caller
   * may use up to {@code byteSize} bytes.
   *
   * @throws InferenceException INVALID_ARGUMENT when the data is larger than {@code byteSize} or
   *     does not fit inside the region
   */
  public void write(long at, long byteSize, ByteBuffer data, String what) {
    checkBounds(at, byteSize, what);
    if (data.remaining() > byteSize) {
      throw InferenceException.invalidArgument(
          what
              + " needs "
              + data.remaining()
              + " bytes, but shared_memory_byte_size is "
              + byteSize
              + " in shared memory region '"
              + name
              + "'");
    }
    access(what, () -> mapping.duplicate().position((int) at).put(data.duplicate()));
  }

  /** Checks that {@code [at, at + byteSize)} lies inside the region. */
  public void checkBounds(long at, long byteSize, String what) {
    if (at < 0 || byteSize < 0) {
      throw InferenceException.invalidArgument(
          what + ": shared memory offset and byte size must not be negative");
    }
    if (at > byteSize() || byteSize > byteSize() - at) {
      throw InferenceException.invalidArgument(
          what
              + ": "
              + byteSize
              + " bytes at offset "
              + at
              + " are past the end of shared memory region '"
              + name
              + "' ("
              + byteSize()
              + " bytes)");
    }
  }

  /**
   * Runs an access to the mapping. The object's file may have been truncated since registration;
   * touching a page past its new end is a fault, which the JVM raises as an {@link InternalError}
   * for mapped buffers: that becomes INVALID_ARGUMENT, never a dead server.
   */
  private void access(String what, Runnable copy) {
    checkFileStillHoldsRegion(what);
    try {
      copy.run();
    } catch (InternalError e) {
      throw shrunk(what);
    }
  }

  private void checkFileStillHoldsRegion(String what) {
    try {
      if (Files.size(file) < offset + byteSize()) {
        throw shrunk(what);
      }
    } catch (IOException e) {
      // The object was unlinked: its pages stay mapped and valid for the holders of the mapping.
    }
  }

  private InferenceException shrunk(String what) {
    return InferenceException.invalidArgument(
        what
            + ": the shared memory object '"
            + key
            + "' of region '"
            + name
            + "' is now smaller than the registered region");
  }
}
