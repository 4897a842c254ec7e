package dev.infera.server.it;

import java.util.List;
import java.util.Map;

/**
 * Triton's statistics, model configuration and system shared memory extensions as one transport
 * speaks them, reduced to what both carry, so that {@link ExtensionSuite} asserts the same
 * behaviour over REST and gRPC.
 */
interface ExtensionClient extends AutoCloseable {

  /** A call's status as both transports can express it. */
  enum Code {
    OK,
    INVALID_ARGUMENT,
    ALREADY_EXISTS,
    NOT_FOUND,
    UNAVAILABLE,
    UNIMPLEMENTED,
    OTHER
  }

  /** A call's answer: {@code value} is set when {@code code} is OK, else {@code message}. */
  record Answer<T>(Code code, String message, T value) {
    static <T> Answer<T> ok(T value) {
      return new Answer<>(Code.OK, "", value);
    }

    static <T> Answer<T> failed(Code code, String message) {
      return new Answer<>(code, message, null);
    }
  }

  /** One entry of the statistics: counts, and per batch size the executions. */
  record VersionStats(
      String name,
      String version,
      long lastInference,
      long inferenceCount,
      long executionCount,
      Map<String, long[]> inferenceStats,
      Map<Long, Long> executionsPerBatchSize) {}

  /** The parts of a model configuration the suite checks. */
  record Config(String name, String platform, long maxBatchSize, List<String> inputs) {}

  /** A registered region's status. */
  record Region(String name, String key, long offset, long byteSize) {}

  /** An INT32 input whose data lies in a region, or (region null) is sent inline. */
  record ShmInput(String name, long[] shape, int[] inline, String region, long offset, long size) {
    static ShmInput inRegion(String name, long[] shape, String region, long offset, long size) {
      return new ShmInput(name, shape, null, region, offset, size);
    }

    static ShmInput inline(String name, long[] shape, int... values) {
      return new ShmInput(name, shape, values, null, 0, 0);
    }
  }

  /** A requested output, written to a region or (region null) answered inline. */
  record ShmOutput(String name, String region, long offset, long size) {}

  /**
   * An output as answered: its parameters, and its INT32 values when it came inline (null when the
   * answer carried no data for it).
   */
  record AnsweredOutput(
      String name, String datatype, List<Long> shape, Map<String, Object> parameters, int[] data) {}

  /** Infers with inputs and outputs placed in shared memory regions. */
  Answer<List<AnsweredOutput>> inferShm(
      String model, List<ShmInput> inputs, List<ShmOutput> outputs);

  /** {@code model} and {@code version} may be null: every model, every version. */
  Answer<List<VersionStats>> statistics(String model, String version);

  /** {@code version} may be null. */
  Answer<Config> config(String model, String version);

  /** The extensions the server metadata lists, in its order. */
  List<String> extensions();

  Answer<Void> register(String name, String key, long offset, long byteSize);

  /** {@code name} null: every region. */
  Answer<Void> unregister(String name);

  /** {@code name} null: every region. */
  Answer<List<Region>> status(String name);

  /** Registers a CUDA shared memory region (device 0, a 16-byte handle). */
  Answer<Void> cudaRegister(String name);

  /** The CUDA shared memory regions (all). */
  Answer<Integer> cudaRegionCount();

  /** Unregisters every CUDA shared memory region. */
  Answer<Void> cudaUnregisterAll();

  @Override
  void close();
}
