package dev.infera.core.repository;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One model as stored: its folder, its configuration text (when it has a {@code config.pbtxt}), its
 * numbered version folders, and the folders that are not versions.
 *
 * @param name the model's name (its folder's name)
 * @param directory the model's folder
 * @param configText the content of {@code config.pbtxt}, when present and readable as text
 * @param configProblem why the model's files cannot give a configuration: a {@code config.pbtxt}
 *     that is present is not text, such as {@code config.pbtxt is not valid UTF-8 (line 3)}, or is
 *     a folder, or the model folder itself cannot be read; the model cannot load from it
 * @param versions version number to version folder, ascending
 * @param ignored why each other folder of the model folder (and each link that cannot be followed)
 *     is no version, such as {@code 'v1' is not a version number (...)}; sorted by name
 */
public record ModelSource(
    String name,
    Path directory,
    Optional<String> configText,
    Optional<String> configProblem,
    SortedMap<Long, Path> versions,
    List<String> ignored) {

  /** The folder of a model's warm-up samples: a folder of the model that is no version. */
  public static final String WARMUP_FOLDER = "warmup";

  public ModelSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(configText, "configText");
    Objects.requireNonNull(configProblem, "configProblem");
    if (configText.isPresent() && configProblem.isPresent()) {
      throw new IllegalArgumentException("a config.pbtxt is either text or a problem, not both");
    }
    versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
    ignored = List.copyOf(ignored);
  }

  /** A model whose config.pbtxt, when present, is text. */
  public ModelSource(
      String name, Path directory, Optional<String> configText, SortedMap<Long, Path> versions) {
    this(name, directory, configText, Optional.empty(), versions, List.of());
  }

  /** A model whose folder cannot be read, and so cannot load. */
  public static ModelSource unreadable(String name, Path directory, String problem) {
    return new ModelSource(
        name, directory, Optional.empty(), Optional.of(problem), new TreeMap<>(), List.of());
  }

  /** A model whose config.pbtxt cannot be used, such as one that is a folder. */
  public static ModelSource withConfigProblem(
      String name, Path directory, String problem, SortedMap<Long, Path> versions) {
    return new ModelSource(
        name, directory, Optional.empty(), Optional.of(problem), versions, List.of());
  }

  /** This model with the entries that were ignored as versions. */
  public ModelSource ignoring(List<String> ignored) {
    return new ModelSource(name, directory, configText, configProblem, versions, ignored);
  }

  /**
   * A model whose config.pbtxt holds these bytes: its text when they are UTF-8, else the problem.
   */
  public static ModelSource withConfigFile(
      String name, Path directory, byte[] config, SortedMap<Long, Path> versions) {
    Optional<String> text = Utf8Text.decode(config);
    return new ModelSource(
        name,
        directory,
        text,
        text.isPresent()
            ? Optional.empty()
            : Optional.of(Utf8Text.problem(LocalModelRepository.CONFIG_FILE, config)),
        versions,
        List.of());
  }
}
