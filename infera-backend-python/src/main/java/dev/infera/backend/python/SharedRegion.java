package dev.infera.backend.python;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared-memory file of one worker (in {@code /dev/shm} where it exists), mapped here and by
 * NumPy in the worker. Inputs are written from offset 0; the worker writes outputs after them and
 * grows the file when they need more room; the server maps the new size when told.
 *
 * <p>Fixed-size tensors are stored raw, little-endian; BYTES tensors as Triton frames them: each
 * element a 4-byte little-endian length and its bytes. Offsets are aligned to {@link #ALIGN}.
 *
 * <p>Threading: used by one instance's thread at a time.
 */
final class SharedRegion implements AutoCloseable {
  static final int ALIGN = 64;
  private static final long MAX_BYTES = Integer.MAX_VALUE - ALIGN;

  private final Path file;
  private final FileChannel channel;
  private MappedByteBuffer map;
  private long size;

  private SharedRegion(Path file, FileChannel channel, long size) throws IOException {
    this.file = file;
    this.channel = channel;
    remap(size);
  }

  /** Creates the file, sparse: pages cost memory only once written. */
  static SharedRegion create(Path directory, String prefix, long size) throws IOException {
    Path file = Files.createTempFile(directory, prefix, ".shm");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      channel.truncate(0);
      try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(size);
      }
      return new SharedRegion(file, channel, size);
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Where the shared-memory files go: {@code /dev/shm} when it is there, else the temp folder. */
  static Path defaultDirectory() {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm)
        ? shm
        : Path.of(System.getProperty("java.io.tmpdir"));
  }

  Path file() {
    return file;
  }

  long size() {
    return size;
  }

  /** Makes the file at least {@code needed} bytes long (doubling), remapping it. */
  void ensure(long needed) {
    if (needed <= size) {
      return;
    }
    if (needed > MAX_BYTES) {
      throw new InferenceException(
          ErrorCode.RESOURCE_EXHAUSTED,
          "a batch needs " + needed + " bytes of shared memory (at most " + MAX_BYTES + ")");
    }
    long grown = Math.min(MAX_BYTES, Math.max(needed, size * 2));
    try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(grown);
      remap(grown);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Maps the file again after the worker grew it to {@code newSize}. */
  void follow(long newSize) {
    if (newSize == size) {
      return;
    }
    try {
      remap(newSize);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void remap(long newSize) throws IOException {
    map = channel.map(FileChannel.MapMode.READ_WRITE, 0, newSize);
    map.order(ByteOrder.LITTLE_ENDIAN);
    size = newSize;
  }

  /** The bytes a tensor takes here: raw data, or BYTES elements with their length prefixes. */
  static long encodedSize(Tensor tensor) {
    if (tensor.dataType() != DataType.BYTES) {
      return tensor.byteSize();
    }
    return tensor.byteSize() + 4L * tensor.elementCount();
  }

  static long align(long offset) {
    return (offset + ALIGN - 1) / ALIGN * ALIGN;
  }

  /** Writes a tensor at {@code offset} (room already ensured); returns the bytes written. */
  long write(Tensor tensor, long offset) {
    ByteBuffer target = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    target.position(Math.toIntExact(offset));
    if (tensor.dataType() != DataType.BYTES) {
      target.put(tensor.data());
    } else {
      for (byte[] element : tensor.elements()) {
        target.putInt(element.length);
        target.put(element);
      }
    }
    return target.position() - offset;
  }

  /** Reads a tensor the worker wrote: a copy, since the region is reused by the next batch. */
  Tensor read(String name, DataType type, long[] shape, long offset, long bytes) {
    if (offset < 0 || bytes < 0 || offset + bytes > size) {
      throw new IllegalStateException(
          "output '" + name + "' lies outside the shared memory (" + offset + "+" + bytes + ")");
    }
    ByteBuffer source = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    source.position(Math.toIntExact(offset)).limit(Math.toIntExact(offset + bytes));
    if (type != DataType.BYTES) {
      ByteBuffer copy = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
      copy.put(source).flip();
      return Tensor.of(name, type, shape, copy);
    }
    long count = Tensor.elementCount(shape);
    List<byte[]> elements = new ArrayList<>(Math.toIntExact(count));
    for (long i = 0; i < count; i++) {
      int length = source.getInt();
      byte[] element = new byte[length];
      source.get(element);
      elements.add(element);
    }
    return Tensor.ofBytes(name, shape, elements);
  }

  @Override
  public void close() {
    map = null;
    try {
      channel.close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
