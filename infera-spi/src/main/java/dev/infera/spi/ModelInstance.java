package dev.infera.spi;

import java.util.List;

/**
 * One execution slot of a loaded model.
 *
 * <p>Threading: {@link #execute} is never called concurrently on one instance; different instances
 * of a model run concurrently.
 */
public interface ModelInstance extends AutoCloseable {

  /**
   * Runs the model once on a batch.
   *
   * @param inputs every input of the model, full shapes (batch dimension included), already
   *     validated against the signature
   * @param outputNames the outputs to compute, at least one, each in the signature
   * @return the outputs, in the order of {@code outputNames}, each named as requested
   * @throws InferenceException for a failure; {@link ErrorCode#INTERNAL} unless the input was at
   *     fault
   */
  List<Tensor> execute(List<Tensor> inputs, List<String> outputNames);

  @Override
  void close();
}
