package dev.infera.spi;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a backend needs to load one model version.
 *
 * @param modelName the model's name
 * @param version the version number (the folder's name)
 * @param versionDirectory the folder that holds the model's files
 * @param modelFileName the file to load when the configuration names one ({@code
 *     default_model_filename}); empty means the backend's default
 * @param parameters the configuration's {@code parameters}, as strings
 * @param maxBatchSize the configured maximum batch size; 0 means the model has no batch dimension;
 *     -1 means the configuration does not say (the backend reports what the file declares)
 * @param declared inputs and outputs the configuration declares (full shapes, batch dimension
 *     included); empty lists where the configuration declares none
 * @param instanceCount how many instances will be created
 * @param instanceKind where instances run
 * @param instanceDevices for each instance, by index, the GPU it runs on ({@code instance_group
 *     gpus}), or -1 for a CPU instance; {@code instanceCount} entries
 */
public record ModelLoadRequest(
    String modelName,
    long version,
    Path versionDirectory,
    Optional<String> modelFileName,
    Map<String, String> parameters,
    int maxBatchSize,
    ModelSignature declared,
    int instanceCount,
    InstanceKind instanceKind,
    List<Integer> instanceDevices) {

  public ModelLoadRequest {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(versionDirectory, "versionDirectory");
    Objects.requireNonNull(modelFileName, "modelFileName");
    parameters = Map.copyOf(parameters);
    Objects.requireNonNull(declared, "declared");
    Objects.requireNonNull(instanceKind, "instanceKind");
    if (instanceCount < 1) {
      throw new IllegalArgumentException("instanceCount " + instanceCount + " (expected >= 1)");
    }
    instanceDevices = List.copyOf(instanceDevices);
    if (instanceDevices.size() != instanceCount) {
      throw new IllegalArgumentException(
          instanceDevices.size() + " instance devices for " + instanceCount + " instances");
    }
  }

  /** A request whose instances all run on CPU, or all on GPU 0 when {@code instanceKind} is GPU. */
  public ModelLoadRequest(
      String modelName,
      long version,
      Path versionDirectory,
      Optional<String> modelFileName,
      Map<String, String> parameters,
      int maxBatchSize,
      ModelSignature declared,
      int instanceCount,
      InstanceKind instanceKind) {
    this(
        modelName,
        version,
        versionDirectory,
        modelFileName,
        parameters,
        maxBatchSize,
        declared,
        instanceCount,
        instanceKind,
        Collections.nCopies(Math.max(0, instanceCount), instanceKind == InstanceKind.GPU ? 0 : -1));
  }

  /**
   * The GPU instance {@code index} runs on, if it is a GPU instance. An index past the configured
   * instances (one added by instance autoscaling) runs where the configured ones do, in turn.
   */
  public OptionalInt deviceOf(int index) {
    if (instanceDevices.isEmpty()) {
      return OptionalInt.empty();
    }
    int device = instanceDevices.get(index % instanceDevices.size());
    return device < 0 ? OptionalInt.empty() : OptionalInt.of(device);
  }

  /** A parameter's value, if the configuration sets it. */
  public Optional<String> parameter(String key) {
    return Optional.ofNullable(parameters.get(key));
  }

  /** Where instances run. */
  public enum InstanceKind {
    CPU,
    GPU
  }
}
