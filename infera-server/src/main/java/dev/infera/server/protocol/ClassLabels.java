package dev.infera.server.protocol;

import dev.infera.core.InferenceResponse;
import dev.infera.core.InferenceService;
import dev.infera.spi.InferenceException;
import java.util.List;

/**
 * The class labels {@link Classification} attaches, by output name: label {@code i} names class
 * {@code i}. Looked up only for outputs a request asks to classify.
 */
@FunctionalInterface
public interface ClassLabels {
  /** No labels: classes are {@code "value:index"}. */
  ClassLabels NONE = output -> List.of();

  /** The labels of one output; empty when it has none. */
  List<String> of(String output);

  /**
   * The labels of the version that answered {@code response} ({@code label_filename} in its
   * configuration). A version unloaded since it answered has none.
   */
  static ClassLabels of(InferenceService service, InferenceResponse response) {
    return output -> {
      try {
        return service
            .outputLabels(response.modelName(), response.modelVersion())
            .getOrDefault(output, List.of());
      } catch (InferenceException e) {
        return List.of();
      }
    };
  }
}
