package dev.infera.core.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A model repository in a local folder. Every sub-folder is a model; inside it, {@code
 * config.pbtxt} is the configuration and each folder named by a non-negative integer in canonical
 * form (no sign, no leading zeros, see {@link VersionNames}) is a version. Other files and folders
 * are ignored, as Triton does, but the folders are named in {@link ModelSource#ignored()} so that a
 * model left without versions can say why. Hidden folders (starting with a dot) are not models. A
 * symbolic link that cannot be followed (one that loops or points at nothing) is a model that
 * cannot load, not a silent absence.
 */
public final class LocalModelRepository implements ModelRepository {
  /** The configuration file's name in a model folder. */
  public static final String CONFIG_FILE = "config.pbtxt";

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
          .filter(path -> Files.isDirectory(path) || brokenLink(path).isPresent())
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
    Optional<String> broken = brokenLink(directory);
    if (broken.isPresent()) {
      return Optional.of(
          ModelSource.unreadable(
              modelName, directory, "the model folder cannot be read: " + broken.get()));
    }
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    try {
      Path configFile = directory.resolve(CONFIG_FILE);
      List<String> ignored = new ArrayList<>();
      TreeMap<Long, Path> versions = versions(directory, ignored);
      Optional<String> configBroken = brokenLink(configFile);
      if (configBroken.isPresent() || Files.isDirectory(configFile)) {
        String problem =
            configBroken
                .map(why -> CONFIG_FILE + " cannot be read (" + why + ")")
                .orElse(CONFIG_FILE + " is a folder (expected a file)");
        return Optional.of(
            ModelSource.withConfigProblem(modelName, directory, problem, versions)
                .ignoring(ignored));
      }
      if (!Files.isRegularFile(configFile)) {
        return Optional.of(
            new ModelSource(modelName, directory, Optional.empty(), versions).ignoring(ignored));
      }
      return Optional.of(
          ModelSource.withConfigFile(modelName, directory, Files.readAllBytes(configFile), versions)
              .ignoring(ignored));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model folder " + directory, e);
    }
  }

  /**
   * The model's version folders; adds to {@code ignored} why each other folder (but hidden ones and
   * {@code warmup}), and each link that cannot be followed, is none.
   */
  private static TreeMap<Long, Path> versions(Path directory, List<String> ignored)
      throws IOException {
    TreeMap<Long, Path> versions = new TreeMap<>();
    List<Path> entries;
    try (Stream<Path> children = Files.list(directory)) {
      entries = children.sorted().toList();
    }
    for (Path path : entries) {
      String name = path.getFileName().toString();
      Optional<String> broken = brokenLink(path);
      if (name.startsWith(".") || name.equals(CONFIG_FILE)) {
        continue;
      } else if (broken.isPresent()) {
        ignored.add("'" + name + "' cannot be read (" + broken.get() + ")");
      } else if (Files.isDirectory(path)) {
        Optional<String> problem = VersionNames.problem(name);
        if (problem.isEmpty()) {
          versions.put(Long.parseLong(name), path);
        } else if (!name.equals(ModelSource.WARMUP_FOLDER)) {
          ignored.add(problem.get());
        }
      }
    }
    return versions;
  }

  /**
   * Why a symbolic link cannot be followed, such as {@code a symbolic link that loops}; empty when
   * the path is no link or one that can be followed.
   */
  private static Optional<String> brokenLink(Path path) {
    if (!Files.isSymbolicLink(path) || Files.exists(path)) {
      return Optional.empty();
    }
    try {
      path.toRealPath();
      return Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.of("a symbolic link to nothing");
    } catch (FileSystemException e) {
      return Optional.of(
          e.getReason() != null && e.getReason().contains("symbolic links")
              ? "a symbolic link that loops"
              : "a symbolic link that cannot be followed: " + e.getReason());
    } catch (IOException e) {
      return Optional.of(
          "a symbolic link that cannot be followed: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public String location() {
    return root.toString();
  }
}
