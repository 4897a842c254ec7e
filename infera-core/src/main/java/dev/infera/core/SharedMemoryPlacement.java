package dev.infera.core;

import java.util.Objects;

/**
 * Where a tensor's data lives in (or goes to) a shared-memory region the client registered:
 * Triton's {@code shared_memory_region}, {@code shared_memory_offset} and {@code
 * shared_memory_byte_size} parameters. The core only carries it; the protocol layer resolves the
 * region and checks the bounds.
 *
 * @param region the registered region's name
 * @param offset the first byte within the region
 * @param byteSize the number of bytes the tensor may take from {@code offset}
 */
public record SharedMemoryPlacement(String region, long offset, long byteSize) {
  public SharedMemoryPlacement {
    Objects.requireNonNull(region, "region");
    if (region.isEmpty()) {
      throw new IllegalArgumentException("shared-memory region name is empty");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("shared-memory offset " + offset + " (expected >= 0)");
    }
    if (byteSize < 0) {
      throw new IllegalArgumentException(
          "shared-memory byte size " + byteSize + " (expected >= 0)");
    }
  }
}
