package dev.infera.server.protocol;

import dev.infera.core.InferenceResponse;
import dev.infera.core.InferenceService;
import dev.infera.spi.InferenceException;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Classification} needs to know of the version that answered: the class labels by
 * output name (label {@code i} names class {@code i}) and whether its outputs start with the batch
 * dimension. Looked up only for outputs a request asks to classify.
 */
@FunctionalInterface
public interface ClassLabels {
  /** No labels (classes are {@code "score:index"}), outputs with a batch dimension. */
  ClassLabels NONE = output -> List.of();

  /** The labels of one output; empty when it has none. */
  List<String> of(String output);

  /** Whether the outputs' first dimension is the batch: the model's max_batch_size is not 0. */
  default boolean batched() {
    return true;
  }

  /**
   * The labels of the version that answered {@code response} ({@code label_filename} in its
   * configuration). A version unloaded since it answered has none.
   */
  static ClassLabels of(InferenceService service, InferenceResponse response) {
    return new ClassLabels() {
      @Override
      public List<String> of(String output) {
        try {
          return service
              .outputLabels(response.modelName(), response.modelVersion())
              .getOrDefault(output, List.of());
        } catch (InferenceException e) {
          return List.of();
        }
      }

      @Override
      public boolean batched() {
        try {
          return service
                  .modelMetadata(response.modelName(), Optional.of(response.modelVersion()))
                  .maxBatchSize()
              > 0;
        } catch (InferenceException e) {
          return true; // unloaded since it answered: the usual case
        }
      }
    };
  }
}
