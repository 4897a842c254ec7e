package dev.infera.core.repository;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One model as stored: its folder, its configuration text (when it has a {@code config.pbtxt}), and
 * its numbered version folders.
 *
 * @param name the model's name (its folder's name)
 * @param directory the model's folder
 * @param configText the content of {@code config.pbtxt}, when present
 * @param versions version number to version folder, ascending
 */
public record ModelSource(
    String name, Path directory, Optional<String> configText, SortedMap<Long, Path> versions) {
  public ModelSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(configText, "configText");
    versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
  }
}
