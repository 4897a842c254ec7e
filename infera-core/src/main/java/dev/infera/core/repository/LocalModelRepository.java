package dev.infera.core.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model repository in a local folder. Every sub-folder is a model; inside it, {@code
 * config.pbtxt} is the configuration and each folder named by a non-negative integer in canonical
 * form (no sign, no leading zeros) is a version. Other files and folders are ignored, as Triton
 * does. Hidden folders (starting with a dot) are not models.
 */
public final class LocalModelRepository implements ModelRepository {
  /** The configuration file's name in a model folder. */
  public static final String CONFIG_FILE = "config.pbtxt";

  /**
   * A version folder's name: the canonical decimal form of a number, so {@code 01} is not version 1
   * (two folders could otherwise claim one version) and is ignored like any other folder.
   */
  private static final Pattern VERSION = Pattern.compile("0|[1-9][0-9]{0,17}");

  private final Path root;

  public LocalModelRepository(Path root) {
    this.root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(this.root)) {
      throw new IllegalArgumentException("model repository " + this.root + " is not a folder");
    }
  }

  @Override
  public List<String> modelNames() {
    List<String> names = new ArrayList<>();
    try (Stream<Path> children = Files.list(root)) {
      children
          .filter(Files::isDirectory)
          .map(path -> path.getFileName().toString())
          .filter(ModelNames::isValid)
          .sorted()
          .forEach(names::add);
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new RepositoryUnavailableException(
          "model repository " + root + " is gone (no such folder)", e);
    } catch (IOException e) {
      throw new RepositoryUnavailableException(
          "model repository " + root + " cannot be listed (" + e.getClass().getSimpleName() + ")",
          e);
    }
    return List.copyOf(names);
  }

  @Override
  public Optional<ModelSource> find(String modelName) {
    if (!ModelNames.isValid(modelName)) {
      return Optional.empty();
    }
    Path directory = root.resolve(modelName);
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    try {
      Path configFile = directory.resolve(CONFIG_FILE);
      if (!Files.isRegularFile(configFile)) {
        return Optional.of(
            new ModelSource(modelName, directory, Optional.empty(), versions(directory)));
      }
      return Optional.of(
          ModelSource.withConfigFile(
              modelName, directory, Files.readAllBytes(configFile), versions(directory)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model folder " + directory, e);
    }
  }

  private static TreeMap<Long, Path> versions(Path directory) throws IOException {
    TreeMap<Long, Path> versions = new TreeMap<>();
    try (Stream<Path> children = Files.list(directory)) {
      children
          .filter(Files::isDirectory)
          .filter(path -> VERSION.matcher(path.getFileName().toString()).matches())
          .forEach(path -> versions.put(Long.parseLong(path.getFileName().toString()), path));
    }
    return versions;
  }

  @Override
  public String location() {
    return root.toString();
  }
}
