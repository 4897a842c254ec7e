package dev.infera.core.cache;

import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What identifies one cached response: the load of the model version it came from (its generation),
 * the model and version names, and every input's name, datatype, shape and bytes and the requested
 * outputs in order, all copied into one byte array. {@link #equals} compares that array in full;
 * the hash only picks the bucket.
 *
 * <p>Immutable.
 */
final class CacheKey {
  private final long generation;
  private final byte[] content;
  private final int hash;

  private CacheKey(long generation, byte[] content) {
    this.generation = generation;
    this.content = content;
    this.hash = hash(generation, content);
  }

  /** The key of a request to the version loaded as {@code generation}. */
  static CacheKey of(long generation, String model, String version, ScheduledRequest request) {
    int size = 8 + text(model) + text(version) + 4;
    for (Tensor input : request.inputs()) {
      size += text(input.name()) + 4 + 4 + 8 * input.rank() + dataSize(input);
    }
    size += 4;
    for (String output : request.outputNames()) {
      size += text(output);
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(generation);
    putText(out, model);
    putText(out, version);
    out.putInt(request.inputs().size());
    for (Tensor input : request.inputs()) {
      putText(out, input.name());
      out.putInt(input.dataType().ordinal());
      out.putInt(input.rank());
      for (long dim : input.shape()) {
        out.putLong(dim);
      }
      putData(out, input);
    }
    out.putInt(request.outputNames().size());
    for (String output : request.outputNames()) {
      putText(out, output);
    }
    return new CacheKey(generation, out.array());
  }

  long generation() {
    return generation;
  }

  /** The bytes the key holds. */
  int byteSize() {
    return content.length;
  }

  private static int text(String value) {
    return 4 + value.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void putText(ByteBuffer out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.putInt(bytes.length);
    out.put(bytes);
  }

  private static long dataSize(Tensor input) {
    if (input.dataType().isFixedSize()) {
      return input.byteSize();
    }
    return 4L * input.elements().size() + input.byteSize();
  }

  private static void putData(ByteBuffer out, Tensor input) {
    if (input.dataType().isFixedSize()) {
      out.put(input.data());
      return;
    }
    for (byte[] element : input.elements()) {
      out.putInt(element.length);
      out.put(element);
    }
  }

  private static int hash(long generation, byte[] content) {
    ByteBuffer view = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
    long h = generation * 0x9E3779B97F4A7C15L;
    while (view.remaining() >= 8) {
      h = Long.rotateLeft(h ^ view.getLong() * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
    }
    while (view.hasRemaining()) {
      h = (h ^ view.get()) * 0x100000001B3L;
    }
    h ^= h >>> 33;
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CacheKey key
        && key.generation == generation
        && key.hash == hash
        && Arrays.equals(key.content, content);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
