package dev.infera.backend.xgboost;

/** What an output of an XGBoost model holds, in Triton FIL's terms. */
enum OutputKind {
  /** FIL's {@code predict_proba}: one probability per class; binary models give [1 - p, p]. */
  PROBABILITIES,
  /** FIL's {@code output_class} without {@code predict_proba}: the class index, as FP32. */
  CLASS_INDEX,
  /** A regressor's output ({@code output_class} false): XGBoost's transformed prediction. */
  PREDICTION,
  /** The untransformed margin ({@code output_margin} in XGBoost; log-odds for binary:logistic). */
  MARGIN;

  /** Whether computing this output needs XGBoost's margin rather than its transformed value. */
  boolean needsMargin(BoosterShape shape) {
    return switch (this) {
      case MARGIN -> true;
      case PROBABILITIES -> shape.multiClass() && !shape.valuesAreClassProbabilities();
      case CLASS_INDEX, PREDICTION -> false;
    };
  }
}
