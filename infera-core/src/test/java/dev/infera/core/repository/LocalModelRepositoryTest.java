package dev.infera.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelRepositoryTest {
  @TempDir Path root;

  @Test
  void findsModelsConfigAndNumberedVersionsOnly() throws IOException {
    Path model = Files.createDirectories(root.resolve("m"));
    Files.writeString(model.resolve("config.pbtxt"), "name: \"m\"");
    Files.createDirectories(model.resolve("1"));
    Files.createDirectories(model.resolve("12"));
    Files.createDirectories(model.resolve("latest"));
    Files.writeString(model.resolve("README.md"), "notes");
    Files.writeString(root.resolve("stray-file.txt"), "x");
    Files.createDirectories(root.resolve(".hidden"));

    LocalModelRepository repository = new LocalModelRepository(root);
    ModelSource source = repository.find("m").orElseThrow();

    assertThat(repository.modelNames()).containsExactly("m");
    assertThat(source.configText()).contains("name: \"m\"");
    assertThat(source.versions().keySet()).containsExactly(1L, 12L);
  }

  @Test
  void versionFoldersMustBeCanonicalNumbers() throws IOException {
    Path model = Files.createDirectories(root.resolve("m"));
    for (String folder : new String[] {"0", "2", "01", "002", "+3", "-4", "1e3", " 5"}) {
      Files.createDirectories(model.resolve(folder));
    }

    ModelSource source = new LocalModelRepository(root).find("m").orElseThrow();

    assertThat(source.versions().keySet()).containsExactlyInAnyOrder(0L, 2L);
  }

  @Test
  void namesThatCouldEscapeTheRepositoryAreNeverLookedUp() {
    LocalModelRepository repository = new LocalModelRepository(root);

    assertThat(repository.find("..")).isEmpty();
    assertThat(repository.find("../etc")).isEmpty();
    assertThat(repository.find("a/b")).isEmpty();
    assertThat(repository.find("bad\u0000name")).isEmpty();
    assertThat(ModelNames.isValid("resnet-50_v1.2")).isTrue();
  }

  @Test
  void modelWithoutConfigHasNone() throws IOException {
    Files.createDirectories(root.resolve("plain/1"));

    assertThat(new LocalModelRepository(root).find("plain").orElseThrow().configText()).isEmpty();
  }

  @Test
  void configThatIsNotUtf8IsAProblemOfThatModelNotOfTheRepository() throws IOException {
    Path model = Files.createDirectories(root.resolve("latin1/1"));
    Files.write(
        model.resolveSibling("config.pbtxt"),
        "name: \"latin1\"\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    ModelSource source = new LocalModelRepository(root).find("latin1").orElseThrow();

    assertThat(source.configText()).isEmpty();
    assertThat(source.configProblem()).contains("config.pbtxt is not valid UTF-8 (line 2)");
    assertThat(source.versions().keySet()).containsExactly(1L);
  }

  @Test
  void aRepositoryFolderThatIsGoneIsUnavailableNotAnError() throws IOException {
    LocalModelRepository repository = new LocalModelRepository(root);
    Files.move(root, root.resolveSibling(root.getFileName() + "-moved"));

    assertThatThrownBy(repository::modelNames)
        .isInstanceOf(RepositoryUnavailableException.class)
        .hasMessage("model repository " + root.toAbsolutePath() + " is gone (no such folder)");
    Files.move(root.resolveSibling(root.getFileName() + "-moved"), root);
  }

  @Test
  void foldersThatAreNoVersionsAreNamedWithWhy() throws IOException {
    Path model = Files.createDirectories(root.resolve("m"));
    Files.createDirectories(model.resolve("v1"));
    Files.createDirectories(model.resolve("99999999999999999999"));
    Files.createDirectories(model.resolve("01"));
    Files.createDirectories(model.resolve("warmup"));
    Files.createSymbolicLink(model.resolve("1"), Path.of("1"));
    Files.createSymbolicLink(model.resolve("2"), Path.of("missing"));

    ModelSource source = new LocalModelRepository(root).find("m").orElseThrow();

    assertThat(source.versions()).isEmpty();
    assertThat(source.ignored())
        .containsExactly(
            "'01' is not a version number (expected no leading zeros, such as 1)",
            "'1' cannot be read (a symbolic link that loops)",
            "'2' cannot be read (a symbolic link to nothing)",
            "'99999999999999999999' is out of range (expected at most 9223372036854775807)",
            "'v1' is not a version number (expected a folder named by a whole number such as 1)");
  }

  @Test
  void theLargestVersionNumberIsAVersion() throws IOException {
    Files.createDirectories(root.resolve("m/9223372036854775807"));

    ModelSource source = new LocalModelRepository(root).find("m").orElseThrow();

    assertThat(source.versions().keySet()).containsExactly(Long.MAX_VALUE);
    assertThat(source.ignored()).isEmpty();
  }

  @Test
  void aModelFolderThatLinksToItselfIsAModelThatCannotBeRead() throws IOException {
    Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));

    LocalModelRepository repository = new LocalModelRepository(root);
    ModelSource source = repository.find("loop").orElseThrow();

    assertThat(repository.modelNames()).containsExactly("loop");
    assertThat(source.configProblem())
        .contains("the model folder cannot be read: a symbolic link that loops");
  }

  @Test
  void aConfigThatIsAFolderIsAProblemNotAMissingConfig() throws IOException {
    Files.createDirectories(root.resolve("m/config.pbtxt"));
    Files.createDirectories(root.resolve("m/1"));

    ModelSource source = new LocalModelRepository(root).find("m").orElseThrow();

    assertThat(source.configText()).isEmpty();
    assertThat(source.configProblem()).contains("config.pbtxt is a folder (expected a file)");
    assertThat(source.versions().keySet()).containsExactly(1L);
  }

  @Test
  void aConfigThatLinksToNothingIsAProblemNotAMissingConfig() throws IOException {
    Files.createDirectories(root.resolve("m/1"));
    Files.createSymbolicLink(root.resolve("m/config.pbtxt"), Path.of("gone.pbtxt"));

    ModelSource source = new LocalModelRepository(root).find("m").orElseThrow();

    assertThat(source.configProblem())
        .contains("config.pbtxt cannot be read (a symbolic link to nothing)");
  }
}
