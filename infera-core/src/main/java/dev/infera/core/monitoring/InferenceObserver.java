package dev.infera.core.monitoring;

import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.spi.InferenceException;
import java.util.List;

/**
 * Sees every request the engine answers or refuses, after the fact. Called on the thread that
 * completes the request (a model's execution thread or a frontend's): implementations must return
 * at once, handing any real work to their own threads, and must not throw.
 */
public interface InferenceObserver {
  InferenceObserver NONE = new InferenceObserver() {};

  /**
   * A request was answered.
   *
   * @param batched whether the version's tensors carry a batch dimension
   */
  default void completed(InferenceRequest request, InferenceResponse response, boolean batched) {}

  /** A request routed to {@code version} was refused before it reached the model. */
  default void rejected(
      InferenceRequest request, String model, String version, InferenceException error) {}

  /** Every observer of a list, in order. */
  static InferenceObserver all(List<InferenceObserver> observers) {
    List<InferenceObserver> copy = List.copyOf(observers);
    if (copy.isEmpty()) {
      return NONE;
    }
    if (copy.size() == 1) {
      return copy.get(0);
    }
    return new InferenceObserver() {
      @Override
      public void completed(InferenceRequest request, InferenceResponse response, boolean batched) {
        for (InferenceObserver observer : copy) {
          observer.completed(request, response, batched);
        }
      }

      @Override
      public void rejected(
          InferenceRequest request, String model, String version, InferenceException error) {
        for (InferenceObserver observer : copy) {
          observer.rejected(request, model, version, error);
        }
      }
    };
  }
}
