package dev.infera.backend.xgboost;

import dev.infera.spi.InferenceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The model file of one version and the format it is read as.
 *
 * @param path the file
 * @param format {@code model_type} when the configuration sets it, else what the extension says
 */
record ModelFile(Path path, ModelFormat format) {

  /** Every file name looked for when neither the configuration nor {@code model_type} names one. */
  static final Set<String> DEFAULT_FILE_NAMES = defaultFileNames();

  /**
   * Finds the model file: the configured file name if there is one, else the first file present
   * among the default names of {@code model_type} (all formats' default names without it).
   *
   * @throws InferenceException NOT_FOUND naming the file or the names looked for
   */
  static ModelFile locate(
      Path versionDirectory, Optional<String> configuredName, Optional<ModelFormat> modelType) {
    if (configuredName.isPresent()) {
      Path path = versionDirectory.resolve(configuredName.get()).normalize();
      if (!path.startsWith(versionDirectory.normalize())) {
        throw InferenceException.invalidArgument(
            "model file name '" + configuredName.get() + "' points outside " + versionDirectory);
      }
      if (!Files.isRegularFile(path)) {
        throw InferenceException.notFound(
            "model file '" + path + "' does not exist (named by default_model_filename)");
      }
      return new ModelFile(path, modelType.orElse(ModelFormat.fromFileName(path.toString())));
    }
    List<String> candidates =
        modelType.map(ModelFormat::defaultFileNames).orElse(List.copyOf(DEFAULT_FILE_NAMES));
    for (String name : candidates) {
      Path path = versionDirectory.resolve(name);
      if (Files.isRegularFile(path)) {
        return new ModelFile(path, modelType.orElse(ModelFormat.fromFileName(name)));
      }
    }
    throw InferenceException.notFound(
        "no XGBoost model file in '"
            + versionDirectory
            + "' (looked for "
            + String.join(", ", candidates)
            + modelType.map(type -> " for model_type " + type.parameterValue()).orElse("")
            + ")");
  }

  private static Set<String> defaultFileNames() {
    List<String> fil = new ArrayList<>();
    List<String> infera = new ArrayList<>();
    for (ModelFormat format : ModelFormat.values()) {
      fil.add(format.defaultFileNames().get(0));
      infera.addAll(format.defaultFileNames().subList(1, format.defaultFileNames().size()));
    }
    Set<String> names = new LinkedHashSet<>(fil);
    names.addAll(infera);
    return Collections.unmodifiableSet(names);
  }
}
