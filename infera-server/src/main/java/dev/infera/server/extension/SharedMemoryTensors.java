package dev.infera.server.extension;

import dev.infera.core.SharedMemoryPlacement;
import dev.infera.server.protocol.RawTensors;
import dev.infera.server.protocol.RequestParameters;
import dev.infera.server.protocol.TensorShapes;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Tensors in system shared memory, for both transports: where a tensor's parameters place it
 * ({@code shared_memory_region}, {@code shared_memory_offset}, {@code shared_memory_byte_size}) and
 * how an input is read from its region. The bytes are laid out as in the binary tensor data
 * extension (little-endian; BYTES elements each a 4-byte length and the bytes).
 */
public final class SharedMemoryTensors {
  public static final String REGION = RequestParameters.SHARED_MEMORY_REGION;
  public static final String OFFSET = RequestParameters.SHARED_MEMORY_OFFSET;
  public static final String BYTE_SIZE = RequestParameters.SHARED_MEMORY_BYTE_SIZE;

  private SharedMemoryTensors() {}

  /**
   * The placement a tensor's parameters give, or null when they name no region (see {@link
   * RequestParameters#sharedMemory}).
   */
  public static SharedMemoryPlacement placement(String owner, Map<String, Object> parameters) {
    return RequestParameters.sharedMemory(owner, parameters);
  }

  /**
   * Reads an input from its region: the bytes are copied out now, so the request no longer depends
   * on the region.
   *
   * @throws InferenceException INVALID_ARGUMENT for an unknown region, bytes outside it, or bytes
   *     that do not hold the shape's elements
   */
  public static Tensor readInput(
      SharedMemoryRegistry registry,
      String name,
      DataType type,
      long[] shape,
      SharedMemoryPlacement at) {
    String owner = "input '" + name + "'";
    byte[] bytes = registry.get(at.region()).read(at.offset(), at.byteSize(), owner);
    return RawTensors.decode(
        name, type, shape, ByteBuffer.wrap(bytes), "shared memory", TensorShapes.UNLIMITED);
  }
}
