package dev.infera.backend.xgboost;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The XGBoost serialization formats, named as Triton's FIL backend names them in its {@code
 * model_type} parameter, with the file names FIL looks for by default and the names Infera's own
 * model zoo uses.
 */
enum ModelFormat {
  XGBOOST_UBJ("xgboost_ubj", "UBJSON", List.of("xgboost.ubj", "model.ubj")),
  XGBOOST_JSON("xgboost_json", "JSON", List.of("xgboost.json", "model.json")),
  /** XGBoost's legacy binary format; XGBoost 3 reads it only where it still can. */
  XGBOOST_BINARY("xgboost", "legacy binary", List.of("xgboost.model"));

  private final String parameterValue;
  private final String description;
  private final List<String> defaultFileNames;

  ModelFormat(String parameterValue, String description, List<String> defaultFileNames) {
    this.parameterValue = parameterValue;
    this.description = description;
    this.defaultFileNames = defaultFileNames;
  }

  /** The {@code model_type} parameter value: {@code xgboost_json}, {@code xgboost_ubj}... */
  String parameterValue() {
    return parameterValue;
  }

  String description() {
    return description;
  }

  /** File names looked for in a version folder, FIL's first. */
  List<String> defaultFileNames() {
    return defaultFileNames;
  }

  static Optional<ModelFormat> fromParameter(String value) {
    for (ModelFormat format : values()) {
      if (format.parameterValue.equals(value)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  /** The format a file name's extension suggests: {@code .json}, {@code .ubj}, else binary. */
  static ModelFormat fromFileName(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".json")) {
      return XGBOOST_JSON;
    }
    if (lower.endsWith(".ubj")) {
      return XGBOOST_UBJ;
    }
    return XGBOOST_BINARY;
  }

  /**
   * The format of a model file's content: both JSON and UBJSON open an object with {@code '{'};
   * JSON follows it with a quoted key (or whitespace), UBJSON with a type marker.
   */
  static ModelFormat fromContent(byte[] content) {
    int first = skipWhitespace(content, 0);
    if (first >= content.length || content[first] != '{') {
      return XGBOOST_BINARY;
    }
    if (first + 1 < content.length && isWhitespace(content[first + 1])) {
      return XGBOOST_JSON;
    }
    int next = skipWhitespace(content, first + 1);
    if (next < content.length && (content[next] == '"' || content[next] == '}')) {
      return XGBOOST_JSON;
    }
    return XGBOOST_UBJ;
  }

  private static int skipWhitespace(byte[] content, int from) {
    int index = from;
    while (index < content.length && isWhitespace(content[index])) {
      index++;
    }
    return index;
  }

  private static boolean isWhitespace(byte value) {
    return value == ' ' || value == '\n' || value == '\r' || value == '\t';
  }
}
