package dev.infera.backend.xgboost;

import dev.infera.spi.InferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The model configuration's {@code parameters} as this backend reads them: Triton FIL's names and
 * meanings, plus {@code margin_output}.
 *
 * @param modelType the declared serialization format; empty means inferred from the file name
 * @param outputClass whether the model is a classifier (FIL's {@code output_class}, or its newer
 *     name {@code is_classifier}); default false
 * @param predictProba whether a classifier returns one probability per class instead of the class
 *     index; default false
 * @param threshold the probability above which a binary classifier outputs class 1; default 0.5
 * @param marginOutput the output name that receives the raw margin; empty means an output named
 *     {@value #DEFAULT_MARGIN_OUTPUT} if the configuration declares one
 */
record FilParameters(
    Optional<ModelFormat> modelType,
    boolean outputClass,
    boolean predictProba,
    float threshold,
    Optional<String> marginOutput) {

  static final String MODEL_TYPE = "model_type";
  static final String OUTPUT_CLASS = "output_class";
  static final String IS_CLASSIFIER = "is_classifier";
  static final String PREDICT_PROBA = "predict_proba";
  static final String THRESHOLD = "threshold";
  static final String MARGIN_OUTPUT = "margin_output";
  static final String DEFAULT_MARGIN_OUTPUT = "margin";
  static final float DEFAULT_THRESHOLD = 0.5f;

  /**
   * Parameters accepted and ignored: FIL's tuning of its own engine, which does not change what a
   * model computes (so FIL configurations load unchanged), and {@code graph_optimization_level},
   * which Infera sets for every backend from {@code optimization { graph { level } }}.
   */
  static final Set<String> IGNORED =
      Set.of(
          "graph_optimization_level",
          "xgboost_allow_unknown_field",
          "use_experimental_optimizations",
          "threads_per_tree",
          "storage_type",
          "algo",
          "blocks_per_sm",
          "transfer_threshold");

  static final Set<String> KNOWN =
      Set.of(MODEL_TYPE, OUTPUT_CLASS, IS_CLASSIFIER, PREDICT_PROBA, THRESHOLD, MARGIN_OUTPUT);

  static final FilParameters DEFAULTS =
      new FilParameters(Optional.empty(), false, false, DEFAULT_THRESHOLD, Optional.empty());

  /**
   * Reads and checks the parameters.
   *
   * @throws InferenceException INVALID_ARGUMENT listing every unknown key and bad value at once
   */
  static FilParameters parse(Map<String, String> parameters) {
    List<String> problems = new ArrayList<>();
    Map<String, String> sorted = new TreeMap<>(parameters);
    for (String key : sorted.keySet()) {
      if (!KNOWN.contains(key) && !IGNORED.contains(key)) {
        problems.add("unknown parameter '" + key + "'");
      }
    }
    Optional<ModelFormat> modelType = Optional.empty();
    String type = sorted.get(MODEL_TYPE);
    if (type != null) {
      modelType = ModelFormat.fromParameter(type.trim());
      if (modelType.isEmpty()) {
        problems.add(
            "parameter 'model_type' is '"
                + type
                + "' (expected one of: xgboost_json, xgboost_ubj, xgboost)");
      }
    }
    Optional<Boolean> outputClass = bool(sorted, OUTPUT_CLASS, problems);
    Optional<Boolean> isClassifier = bool(sorted, IS_CLASSIFIER, problems);
    if (outputClass.isPresent() && isClassifier.isPresent() && !outputClass.equals(isClassifier)) {
      problems.add("parameters 'output_class' and 'is_classifier' disagree (set one of them)");
    }
    boolean classifier = outputClass.or(() -> isClassifier).orElse(false);
    boolean predictProba = bool(sorted, PREDICT_PROBA, problems).orElse(false);
    if (predictProba && !classifier) {
      problems.add(
          "parameter 'predict_proba' is true but 'output_class' is false"
              + " (probabilities need a classifier: set output_class to true)");
    }
    float threshold = threshold(sorted.get(THRESHOLD), problems);
    Optional<String> marginOutput = Optional.ofNullable(sorted.get(MARGIN_OUTPUT));
    if (marginOutput.isPresent() && marginOutput.get().isBlank()) {
      problems.add("parameter 'margin_output' is empty (expected an output name)");
    }
    if (!problems.isEmpty()) {
      throw InferenceException.invalidArgument(
          "invalid XGBoost backend parameters: " + String.join("; ", problems));
    }
    return new FilParameters(modelType, classifier, predictProba, threshold, marginOutput);
  }

  private static Optional<Boolean> bool(
      Map<String, String> parameters, String key, List<String> problems) {
    String value = parameters.get(key);
    if (value == null) {
      return Optional.empty();
    }
    String normalized = value.trim().toLowerCase(Locale.ROOT);
    if (normalized.equals("true")) {
      return Optional.of(true);
    }
    if (normalized.equals("false")) {
      return Optional.of(false);
    }
    problems.add("parameter '" + key + "' is '" + value + "' (expected true or false)");
    return Optional.empty();
  }

  private static float threshold(String value, List<String> problems) {
    if (value == null) {
      return DEFAULT_THRESHOLD;
    }
    try {
      float threshold = Float.parseFloat(value.trim());
      if (Float.isFinite(threshold)) {
        return threshold;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add("parameter 'threshold' is '" + value + "' (expected a finite number such as 0.5)");
    return DEFAULT_THRESHOLD;
  }
}
