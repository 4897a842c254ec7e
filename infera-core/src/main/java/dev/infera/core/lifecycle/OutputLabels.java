package dev.infera.core.lifecycle;

import dev.infera.core.config.ConfigException;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelOutput;
import dev.infera.core.repository.Utf8Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The class labels of a version's outputs: Triton's {@code output.label_filename}, a UTF-8 file in
 * the model's folder with one label per line, line {@code i} naming class {@code i}. Read once when
 * the version loads; a file that is missing, unreadable or outside the model's folder fails the
 * load naming the output.
 */
final class OutputLabels {
  private OutputLabels() {}

  /** Output name to its labels, for every output with a {@code label_filename}. */
  static Map<String, List<String>> read(String model, ModelConfig config, Path modelDirectory) {
    Map<String, List<String>> labels = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (ModelOutput output : config.getOutputList()) {
      String file = output.getLabelFilename();
      if (file.isEmpty()) {
        continue;
      }
      String owner = "output '" + output.getName() + "': label_filename '" + file + "'";
      Path root = modelDirectory.toAbsolutePath().normalize();
      Path path = root.resolve(file).normalize();
      if (!path.startsWith(root) || path.equals(root)) {
        problems.add(owner + " is not a file in the model's folder");
        continue;
      }
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(path);
      } catch (IOException e) {
        problems.add(owner + " cannot be read (expected a UTF-8 file, one label per line)");
        continue;
      }
      Optional<String> text = Utf8Text.decode(bytes);
      if (text.isEmpty()) {
        problems.add(Utf8Text.problem(owner, bytes) + " (expected one label per line)");
        continue;
      }
      labels.put(output.getName(), text.get().lines().toList());
    }
    if (!problems.isEmpty()) {
      throw new ConfigException("model '" + model + "'", problems);
    }
    return Map.copyOf(labels);
  }
}
