package dev.infera.server.extension;

import dev.infera.core.RequestedOutput;
import dev.infera.core.SharedMemoryPlacement;
import dev.infera.server.protocol.RawTensors;
import dev.infera.spi.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outputs of one request that go to system shared memory, with their regions resolved when the
 * request arrived: an unknown region or a placement outside its region fails the request before
 * inference, and a region unregistered while the request runs still receives its output (see {@link
 * SharedMemoryRegion}). Immutable; {@link #write} may run on any thread.
 */
public final class SharedMemoryOutputs {
  public static final SharedMemoryOutputs NONE = new SharedMemoryOutputs(Map.of());

  private record Target(SharedMemoryRegion region, SharedMemoryPlacement placement) {}

  private final Map<String, Target> targets;

  private SharedMemoryOutputs(Map<String, Target> targets) {
    this.targets = Map.copyOf(targets);
  }

  /**
   * The shared memory targets among {@code outputs}.
   *
   * @throws dev.infera.spi.InferenceException INVALID_ARGUMENT for a bad placement, an unknown
   *     region, or a placement that does not lie inside its region
   */
  public static SharedMemoryOutputs resolve(
      SharedMemoryRegistry registry, List<RequestedOutput> outputs) {
    Map<String, Target> targets = new HashMap<>();
    for (RequestedOutput output : outputs) {
      String owner = "output '" + output.name() + "'";
      SharedMemoryPlacement placement = output.options().sharedMemory().orElse(null);
      if (placement != null) {
        SharedMemoryRegion region = registry.get(placement.region());
        region.checkBounds(placement.offset(), placement.byteSize(), owner);
        targets.put(output.name(), new Target(region, placement));
      }
    }
    return targets.isEmpty() ? NONE : new SharedMemoryOutputs(targets);
  }

  /** Whether the output goes to shared memory (then the response carries no data for it). */
  public boolean contains(String output) {
    return targets.containsKey(output);
  }

  /**
   * Writes an output to its region.
   *
   * @return the parameters the response carries for it: the region, offset and the bytes written
   * @throws dev.infera.spi.InferenceException INVALID_ARGUMENT when the output is larger than its
   *     {@code shared_memory_byte_size}
   */
  public Map<String, Object> write(Tensor output) {
    Target target = targets.get(output.name());
    var bytes = RawTensors.encode(output).asReadOnlyBuffer();
    long written = bytes.remaining();
    target
        .region()
        .write(
            target.placement().offset(),
            target.placement().byteSize(),
            bytes,
            "output '" + output.name() + "'");
    Map<String, Object> parameters = new HashMap<>();
    parameters.put(SharedMemoryTensors.REGION, target.placement().region());
    parameters.put(SharedMemoryTensors.OFFSET, target.placement().offset());
    parameters.put(SharedMemoryTensors.BYTE_SIZE, written);
    return parameters;
  }
}
