package dev.infera.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infera.core.config.ConfigException;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLabelsTest {
  @TempDir Path model;

  private static ModelConfig withLabels(String file) {
    return ModelConfig.newBuilder()
        .setName("m")
        .addOutput(ModelOutput.newBuilder().setName("scores").setLabelFilename(file))
        .addOutput(ModelOutput.newBuilder().setName("plain"))
        .build();
  }

  @Test
  void eachLineLabelsItsClass() throws IOException {
    Files.writeString(model.resolve("labels.txt"), "cat\ndog\n");

    assertThat(OutputLabels.read("m", withLabels("labels.txt"), model))
        .containsOnlyKeys("scores")
        .containsEntry("scores", List.of("cat", "dog"));
  }

  @Test
  void aMissingFileFailsTheLoadNamingTheOutput() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> OutputLabels.read("m", withLabels("missing.txt"), model));

    assertThat(e.getMessage())
        .contains("output 'scores'")
        .contains("missing.txt")
        .contains("cannot be read")
        .doesNotContain(model.toString());
  }

  @Test
  void aFileOutsideTheModelsFolderIsRefused() {
    for (String outside : List.of("../labels.txt", "/etc/passwd", "a/../../x", ".")) {
      ConfigException e =
          catchThrowableOfType(
              ConfigException.class, () -> OutputLabels.read("m", withLabels(outside), model));

      assertThat(e.getMessage()).as(outside).contains("not a file in the model's folder");
    }
  }

  @Test
  void aFileThatIsNotUtf8FailsTheLoadNamingTheLine() throws IOException {
    Files.write(
        model.resolve("labels.txt"), "cat\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> OutputLabels.read("m", withLabels("labels.txt"), model));

    assertThat(e.getMessage())
        .contains("output 'scores': label_filename 'labels.txt' is not valid UTF-8 (line 2)");
  }
}
