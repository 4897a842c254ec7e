package dev.infera.core;

import java.util.Objects;
import java.util.Optional;

/**
 * How the caller wants one output delivered. The engine computes the same tensor whatever these
 * say; the protocol layer applies them when it encodes the answer.
 *
 * @param binary send the data as binary after the JSON (REST's {@code binary_data}); gRPC always
 *     sends raw contents and ignores it
 * @param classCount report the top {@code classCount} classes instead of the values (the
 *     classification extension's {@code classification} / {@code class_count}); 0 for the values
 * @param sharedMemory write the data into this shared-memory region instead of the response
 */
public record OutputOptions(
    boolean binary, int classCount, Optional<SharedMemoryPlacement> sharedMemory) {

  /** Values, inline, as JSON data over REST. */
  public static final OutputOptions DEFAULT = new OutputOptions(false, 0, Optional.empty());

  public OutputOptions {
    Objects.requireNonNull(sharedMemory, "sharedMemory");
    if (classCount < 0) {
      throw new IllegalArgumentException("class count " + classCount + " (expected >= 0)");
    }
  }

  public OutputOptions withBinary(boolean value) {
    return new OutputOptions(value, classCount, sharedMemory);
  }

  public OutputOptions withClassCount(int value) {
    return new OutputOptions(binary, value, sharedMemory);
  }

  public OutputOptions withSharedMemory(SharedMemoryPlacement value) {
    return new OutputOptions(binary, classCount, Optional.of(value));
  }
}
