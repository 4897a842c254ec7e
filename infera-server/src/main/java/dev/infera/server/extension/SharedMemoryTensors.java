package dev.infera.server.extension;

import com.google.protobuf.UnsafeByteOperations;
import dev.infera.server.grpc.RawContents;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.util.Map;

/**
 * Tensors in system shared memory, for both transports: where a tensor's parameters place it
 * ({@code shared_memory_region}, {@code shared_memory_offset}, {@code shared_memory_byte_size}) and
 * how an input is read from its region. The bytes are laid out as in the binary tensor data
 * extension (little-endian; BYTES elements each a 4-byte length and the bytes).
 */
public final class SharedMemoryTensors {
  public static final String REGION = "shared_memory_region";
  public static final String OFFSET = "shared_memory_offset";
  public static final String BYTE_SIZE = "shared_memory_byte_size";

  private SharedMemoryTensors() {}

  /**
   * Where a tensor lives in a region.
   *
   * @param region the registered region's name
   * @param offset the first byte within the region
   * @param byteSize the bytes the tensor may take from {@code offset}
   */
  public record Placement(String region, long offset, long byteSize) {}

  /**
   * The placement a tensor's parameters give, or null when they name no region. A region without a
   * byte size, or an offset or byte size without a region, is INVALID_ARGUMENT.
   *
   * @param owner names the tensor in messages, such as {@code input 'INPUT0'}
   * @param parameters plain values: {@code Long} for integers, {@code String} for text
   */
  public static Placement placement(String owner, Map<String, Object> parameters) {
    Object region = parameters.get(REGION);
    if (region == null) {
      for (String key : new String[] {OFFSET, BYTE_SIZE}) {
        if (parameters.containsKey(key)) {
          throw InferenceException.invalidArgument(
              owner + ": parameter '" + key + "' needs '" + REGION + "'");
        }
      }
      return null;
    }
    if (!(region instanceof String name) || name.isEmpty()) {
      throw InferenceException.invalidArgument(
          owner + ": parameter '" + REGION + "' must be a region's name");
    }
    Object size = parameters.get(BYTE_SIZE);
    if (size == null) {
      throw InferenceException.invalidArgument(
          owner + ": parameter '" + BYTE_SIZE + "' is missing (it goes with '" + REGION + "')");
    }
    Object offset = parameters.get(OFFSET);
    return new Placement(
        name, offset == null ? 0 : bytes(owner, OFFSET, offset), bytes(owner, BYTE_SIZE, size));
  }

  private static long bytes(String owner, String key, Object value) {
    if (value instanceof Long n && n >= 0) {
      return n;
    }
    throw InferenceException.invalidArgument(
        owner + ": parameter '" + key + "' is " + value + " (expected a non-negative integer)");
  }

  /**
   * Reads an input from its region: the bytes are copied out now, so the request no longer depends
   * on the region.
   *
   * @throws InferenceException INVALID_ARGUMENT for an unknown region, bytes outside it, or bytes
   *     that do not hold the shape's elements
   */
  public static Tensor readInput(
      SharedMemoryRegistry registry, String name, DataType type, long[] shape, Placement at) {
    String owner = "input '" + name + "'";
    byte[] bytes = registry.get(at.region()).read(at.offset(), at.byteSize(), owner);
    return RawContents.decode(name, type, shape, UnsafeByteOperations.unsafeWrap(bytes));
  }
}
