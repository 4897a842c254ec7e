package dev.infera.server.extension;

import dev.infera.server.grpc.proto.SystemSharedMemoryStatusResponse;
import dev.infera.server.grpc.proto.SystemSharedMemoryStatusResponse.RegionStatus;
import dev.infera.spi.InferenceException;
import java.util.Optional;

/**
 * The system shared memory extension's documents, built once for both transports: gRPC sends the
 * messages; REST prints them with {@link TritonJson}.
 */
public final class SharedMemoryMessages {
  /** What registering a CUDA shared memory region answers (UNIMPLEMENTED, HTTP 501). */
  public static final String NO_CUDA_SHARED_MEMORY =
      "the cuda_shared_memory extension is not supported by this server;"
          + " use system shared memory (system_shared_memory)";

  private SharedMemoryMessages() {}

  /** The status of one region (by name) or of all, keyed by region name. */
  public static SystemSharedMemoryStatusResponse status(
      SharedMemoryRegistry registry, Optional<String> name) {
    SystemSharedMemoryStatusResponse.Builder response =
        SystemSharedMemoryStatusResponse.newBuilder();
    for (SharedMemoryRegistry.Status region : registry.status(name)) {
      response.putRegions(
          region.name(),
          RegionStatus.newBuilder()
              .setName(region.name())
              .setKey(region.key())
              .setOffset(region.offset())
              .setByteSize(region.byteSize())
              .build());
    }
    return response.build();
  }

  /** A protobuf {@code uint64} as a non-negative {@code long}. */
  public static long unsigned(long value, String field) {
    if (value < 0) {
      throw InferenceException.invalidArgument(
          field + " " + Long.toUnsignedString(value) + " is too large (expected at most 2^63 - 1)");
    }
    return value;
  }
}
