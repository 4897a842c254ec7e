package dev.infera.core.monitoring;

/** How a feature's values are summarised and compared. */
public enum FeatureKind {
  /** Numbers: a KLL quantiles sketch; drift by PSI over reference deciles and by KS. */
  NUMERIC,
  /** Byte strings as categories: a frequent-items sketch; drift by PSI over categories. */
  CATEGORICAL
}
