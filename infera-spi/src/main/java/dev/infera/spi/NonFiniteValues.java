package dev.infera.spi;

/**
 * Which non-finite floating-point input values (NaN, positive and negative infinity) a model takes.
 * The engine refuses the others at validation, before a request can share a batch, with
 * INVALID_ARGUMENT naming the tensor: a value the backend cannot take then fails its own request
 * only.
 */
public enum NonFiniteValues {
  /** NaN and infinities reach the model (ONNX models compute with them as IEEE 754 says). */
  ANY,
  /** NaN reaches the model (XGBoost reads it as a missing value); infinities are refused. */
  NAN_ONLY,
  /** Only finite values reach the model. */
  NONE;

  /** Whether a value of this kind ({@code NaN} or an infinity) may reach the model. */
  public boolean accepts(double nonFinite) {
    return switch (this) {
      case ANY -> true;
      case NAN_ONLY -> Double.isNaN(nonFinite);
      case NONE -> false;
    };
  }
}
