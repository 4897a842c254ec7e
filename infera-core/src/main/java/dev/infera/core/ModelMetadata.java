package dev.infera.core;

import dev.infera.spi.TensorSpec;
import java.util.List;

/**
 * A model's description as the protocol reports it.
 *
 * @param name the model's name
 * @param versions the versions that are ready, as strings, ascending
 * @param platform the platform name, such as {@code onnxruntime_onnx}
 * @param inputs the inputs; for a batchable model the first dimension is -1 (the batch)
 * @param outputs the outputs, shaped likewise
 * @param maxBatchSize the most rows one request may carry ({@code max_batch_size}); 0 when the
 *     model has no batch dimension
 */
public record ModelMetadata(
    String name,
    List<String> versions,
    String platform,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    int maxBatchSize) {
  public ModelMetadata {
    versions = List.copyOf(versions);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
