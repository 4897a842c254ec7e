package dev.infera.server.rest;

import dev.infera.core.SharedMemoryPlacement;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;

/**
 * One input as read from the JSON header: its tensor (data was in the JSON), the number of bytes it
 * takes in the binary section that follows the JSON, or where it lies in a shared memory region
 * ({@code tensor} is null in the last two cases; {@code sharedMemory} is null unless the last).
 */
record DecodedInput(
    String name,
    DataType type,
    long[] shape,
    Tensor tensor,
    long binaryDataSize,
    SharedMemoryPlacement sharedMemory) {

  DecodedInput(String name, DataType type, long[] shape, Tensor tensor, long binaryDataSize) {
    this(name, type, shape, tensor, binaryDataSize, null);
  }

  boolean isBinary() {
    return tensor == null && sharedMemory == null;
  }

  boolean isInSharedMemory() {
    return sharedMemory != null;
  }
}
