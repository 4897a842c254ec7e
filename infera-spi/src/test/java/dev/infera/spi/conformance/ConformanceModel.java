package dev.infera.spi.conformance;

import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelSignature;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fixture model for the conformance suite: how to load it, what it must report, and reference
 * cases it must reproduce.
 *
 * @param name the model's name
 * @param versionDirectory the version folder holding the model file
 * @param modelFileName the file to load, or empty for the backend's default names
 * @param parameters the configuration's {@code parameters}
 * @param maxBatchSize as in {@link ModelLoadRequest#maxBatchSize()}; &gt; 0 makes dimension 0 the
 *     batch dimension, which the batch split/merge test then exercises
 * @param declared what the configuration declares (may be empty lists)
 * @param expectedSignature what {@code LoadedModel.signature()} must return
 * @param samples reference cases; batched models' cases with equal non-batch dimensions are also
 *     merged into one batch
 * @param tolerance how close floating-point outputs must be
 */
public record ConformanceModel(
    String name,
    Path versionDirectory,
    Optional<String> modelFileName,
    Map<String, String> parameters,
    int maxBatchSize,
    ModelSignature declared,
    ModelSignature expectedSignature,
    List<ConformanceSample> samples,
    Tolerance tolerance) {

  public ConformanceModel {
    parameters = Map.copyOf(parameters);
    samples = List.copyOf(samples);
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("fixture '" + name + "' has no samples");
    }
  }

  /** Whether dimension 0 of every input and output is the batch dimension. */
  public boolean batched() {
    return maxBatchSize > 0;
  }

  /** The load request for this fixture with {@code instanceCount} CPU instances. */
  public ModelLoadRequest loadRequest(int instanceCount) {
    return new ModelLoadRequest(
        name,
        1,
        versionDirectory,
        modelFileName,
        parameters,
        maxBatchSize,
        declared,
        instanceCount,
        ModelLoadRequest.InstanceKind.CPU);
  }
}
