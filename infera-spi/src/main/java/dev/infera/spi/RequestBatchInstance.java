package dev.infera.spi;

import java.util.List;
import java.util.Objects;

/**
 * An instance that takes a batch as the separate requests it is made of, rather than joined along
 * the batch dimension: Triton's Python backend hands {@code execute} a list of requests, and each
 * request may fail on its own.
 *
 * <p>Threading: as {@link ModelInstance}; {@link #executeRequests} is never called concurrently on
 * one instance, nor at the same time as {@link #execute}.
 */
public interface RequestBatchInstance extends ModelInstance {

  /**
   * Runs the model once on the requests of a batch.
   *
   * @param requests each request's inputs (full shapes, batch dimension included), already
   *     validated against the signature; at least one request
   * @param outputNames the outputs every request of the batch asks for, each in the signature
   * @return one outcome per request, in the order of {@code requests}: its outputs in the order of
   *     {@code outputNames}, or its own error
   * @throws InferenceException for a failure of the whole batch
   */
  List<RequestOutcome> executeRequests(List<List<Tensor>> requests, List<String> outputNames);

  /** The outcome of one request of a batch: outputs, or an error meant for its caller. */
  record RequestOutcome(List<Tensor> outputs, InferenceException error) {
    public RequestOutcome {
      if ((outputs == null) == (error == null)) {
        throw new IllegalArgumentException("exactly one of outputs and error");
      }
      outputs = outputs == null ? null : List.copyOf(outputs);
    }

    public static RequestOutcome succeeded(List<Tensor> outputs) {
      return new RequestOutcome(Objects.requireNonNull(outputs, "outputs"), null);
    }

    public static RequestOutcome failed(InferenceException error) {
      return new RequestOutcome(null, Objects.requireNonNull(error, "error"));
    }

    public boolean isError() {
      return error != null;
    }
  }
}
