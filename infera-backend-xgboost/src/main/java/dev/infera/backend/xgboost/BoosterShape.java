package dev.infera.backend.xgboost;

/**
 * What a loaded booster computes, learned once at load time.
 *
 * @param numFeatures the feature columns each row must have ({@code Booster.getNumFeature()})
 * @param numGroups the margin values per row: 1 for regression and binary classification, the
 *     number of classes for multi-class models
 * @param valueWidth the transformed prediction values per row: {@code numGroups} for most
 *     objectives, 1 for {@code multi:softmax}, which predicts the class index itself
 */
record BoosterShape(int numFeatures, int numGroups, int valueWidth) {
  BoosterShape {
    if (numFeatures < 1 || numGroups < 1 || valueWidth < 1) {
      throw new IllegalArgumentException(
          "booster shape " + numFeatures + "/" + numGroups + "/" + valueWidth);
    }
  }

  /** Whether the model separates more than two classes (one margin per class). */
  boolean multiClass() {
    return numGroups > 1;
  }

  /** Whether the transformed prediction is already one probability per class. */
  boolean valuesAreClassProbabilities() {
    return multiClass() && valueWidth == numGroups;
  }
}
