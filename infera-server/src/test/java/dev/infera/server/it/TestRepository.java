package dev.infera.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Builds model repositories for integration tests in temporary folders. */
final class TestRepository {
  private TestRepository() {}

  /** The project's examples/models folder (tests run with the module folder as working dir). */
  static Path examples() {
    Path path = Paths.get("..", "examples", "models").toAbsolutePath().normalize();
    if (!Files.isDirectory(path)) {
      throw new IllegalStateException("examples/models not found at " + path);
    }
    return path;
  }

  /** A test resource folder. */
  static Path resource(String name) {
    try {
      return Paths.get(TestRepository.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies a folder's content (recursively) into a target folder. */
  static void copyInto(Path source, Path target) {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path destination = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A repository with examples/models plus the integration tests' own models. */
  static Path standard() {
    try {
      Path root = Files.createTempDirectory("infera-it-repo");
      copyInto(examples(), root);
      copyInto(resource("it/models"), root);
      // The same ONNX file as 'simple', without config.pbtxt: completed from the model file.
      Path noConfig = root.resolve("simple_autoconfig").resolve("1");
      Files.createDirectories(noConfig);
      Files.copy(root.resolve("simple/1/model.onnx"), noConfig.resolve("model.onnx"));
      // 'simple' with dynamic batching and a long queue delay, so concurrent callers share batches.
      Path batched = root.resolve("simple_batched").resolve("1");
      Files.createDirectories(batched);
      Files.copy(root.resolve("simple/1/model.onnx"), batched.resolve("model.onnx"));
      Files.writeString(
          root.resolve("simple_batched/config.pbtxt"),
          Files.readString(root.resolve("simple/config.pbtxt"))
                  .replace("name: \"simple\"", "name: \"simple_batched\"")
                  .replace("max_batch_size: 8", "max_batch_size: 32")
              + "dynamic_batching { max_queue_delay_microseconds: 20000 }\n");
      // 'tabular_mlp' with class labels for its output (Triton's label_filename).
      Path labeled = root.resolve("tabular_labeled").resolve("1");
      Files.createDirectories(labeled);
      Files.copy(root.resolve("tabular_mlp/1/model.onnx"), labeled.resolve("model.onnx"));
      Files.writeString(root.resolve("tabular_labeled/labels.txt"), "legitimate\nfraud\n");
      Files.writeString(
          root.resolve("tabular_labeled/config.pbtxt"),
          Files.readString(root.resolve("tabular_mlp/config.pbtxt"))
              .replace("name: \"tabular_mlp\"", "name: \"tabular_labeled\"")
              .replace(
                  "name: \"probabilities\"",
                  "name: \"probabilities\"\n    label_filename: \"labels.txt\""));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
