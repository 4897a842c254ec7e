package dev.infera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.repository.LocalModelRepository;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelRepositoriesTest {
  private static final ModelRepositories.S3Settings S3 =
      new ModelRepositories.S3Settings(Path.of("unused"), Duration.ofSeconds(1));

  @ParameterizedTest
  @CsvSource({
    "gs://bucket/models, gs",
    "as://account/container/models, as",
    "https://host/x, https"
  })
  void anotherStorageSchemeIsRefusedNamingIt(String location, String scheme) {
    assertThatThrownBy(() -> ModelRepositories.open(location, S3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "model repository '"
                + location
                + "': "
                + scheme
                + ":// repositories are not supported (expected a folder, s3://bucket/prefix or"
                + " s3://host:port/bucket/prefix; copy the models to one of those)");
  }

  @Test
  void aFolderIsALocalRepository(@TempDir Path folder) {
    assertThat(ModelRepositories.open(folder.toString(), S3))
        .isInstanceOf(LocalModelRepository.class);
  }

  @Test
  void aMissingFolderIsNamed(@TempDir Path folder) {
    Path missing = folder.resolve("missing");
    assertThatThrownBy(() -> ModelRepositories.open(missing.toString(), S3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing + " is not a folder");
  }
}
