package dev.infera.backend.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelFormatTest {

  @Test
  void jsonModelFileIsRecognizedByContent() throws Exception {
    byte[] content = Files.readAllBytes(XgbTabular.versionDirectory().resolve("model.json"));

    assertThat(ModelFormat.fromContent(content)).isEqualTo(ModelFormat.XGBOOST_JSON);
  }

  @Test
  void ubjsonModelFileIsRecognizedByContent() throws Exception {
    byte[] content = Files.readAllBytes(XgbTabular.versionDirectory().resolve("model.ubj"));

    assertThat(ModelFormat.fromContent(content)).isEqualTo(ModelFormat.XGBOOST_UBJ);
  }

  @Test
  void jsonWithLeadingWhitespaceIsJson() {
    byte[] content = " \n{ \"learner\": {}}".getBytes(StandardCharsets.US_ASCII);

    assertThat(ModelFormat.fromContent(content)).isEqualTo(ModelFormat.XGBOOST_JSON);
  }

  @Test
  void anythingElseIsTheLegacyBinaryFormat() {
    byte[] content = "binf\0\0\0".getBytes(StandardCharsets.US_ASCII);

    assertThat(ModelFormat.fromContent(content)).isEqualTo(ModelFormat.XGBOOST_BINARY);
  }

  @Test
  void extensionsMapToFilModelTypes() {
    assertThat(ModelFormat.fromFileName("xgboost.json")).isEqualTo(ModelFormat.XGBOOST_JSON);
    assertThat(ModelFormat.fromFileName("MODEL.UBJ")).isEqualTo(ModelFormat.XGBOOST_UBJ);
    assertThat(ModelFormat.fromFileName("xgboost.model")).isEqualTo(ModelFormat.XGBOOST_BINARY);
  }

  @Test
  void filDefaultFileNamesComeFirst() {
    assertThat(ModelFile.DEFAULT_FILE_NAMES)
        .containsExactly("xgboost.ubj", "xgboost.json", "xgboost.model", "model.ubj", "model.json");
  }

  @Test
  void modelTypeNarrowsTheDefaultFileNames() {
    ModelFile file =
        ModelFile.locate(
            XgbTabular.versionDirectory(), Optional.empty(), Optional.of(ModelFormat.XGBOOST_JSON));

    assertThat(file.path().getFileName()).isEqualTo(Path.of("model.json"));
    assertThat(file.format()).isEqualTo(ModelFormat.XGBOOST_JSON);
  }
}
