package dev.infera.spi;

/**
 * One loaded model version. It owns the native resources of the model and the instances it creates.
 *
 * <p>Threading: {@link #signature} and {@link #newInstance} may be called from any thread. {@link
 * #close} is called once, after every instance was closed and no execution is running.
 */
public interface LoadedModel extends AutoCloseable {

  /**
   * The inputs and outputs as the model file declares them, batch dimension included; dynamic
   * dimensions are -1.
   */
  ModelSignature signature();

  /**
   * The non-finite floating-point input values the model takes; the engine refuses the others
   * before they reach an instance. Default: {@link NonFiniteValues#ANY}.
   */
  default NonFiniteValues acceptedNonFinite() {
    return NonFiniteValues.ANY;
  }

  /**
   * Creates one execution slot. {@code index} counts from 0 within this model version; indexes at
   * or past the configured instance count come from instance autoscaling, while the version serves
   * (see {@link ModelLoadRequest#deviceOf}).
   */
  ModelInstance newInstance(int index);

  /** Frees the model's resources (native sessions, memory). */
  @Override
  void close();
}
