package dev.infera.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version folder's fingerprint changes exactly when its files do. */
class VersionFingerprintTest {
  @TempDir Path folder;
  private VersionFingerprint before;

  @BeforeEach
  void write() throws IOException {
    Files.writeString(folder.resolve("model.onnx"), "abc");
    Files.setLastModifiedTime(
        folder.resolve("model.onnx"), FileTime.from(Instant.ofEpochSecond(1)));
    before = VersionFingerprint.of(folder);
  }

  @Test
  void unchangedFolderHasTheSameFingerprint() {
    assertThat(VersionFingerprint.of(folder)).isEqualTo(before);
  }

  @Test
  void rewrittenFileChangesIt() throws IOException {
    Files.writeString(folder.resolve("model.onnx"), "abd");
    Files.setLastModifiedTime(
        folder.resolve("model.onnx"), FileTime.from(Instant.ofEpochSecond(2)));

    assertThat(VersionFingerprint.of(folder)).isNotEqualTo(before);
  }

  @Test
  void addedFileInASubfolderChangesIt() throws IOException {
    Files.createDirectories(folder.resolve("data"));
    Files.writeString(folder.resolve("data/weights.bin"), "w");

    assertThat(VersionFingerprint.of(folder)).isNotEqualTo(before);
  }

  @Test
  void theSameFilesInAnotherFolderDiffer() throws IOException {
    Path copy = Files.createDirectories(folder.resolveSibling(folder.getFileName() + "-copy"));
    try {
      Files.copy(folder.resolve("model.onnx"), copy.resolve("model.onnx"));
      Files.setLastModifiedTime(
          copy.resolve("model.onnx"), FileTime.from(Instant.ofEpochSecond(1)));

      VersionFingerprint moved = VersionFingerprint.of(copy);
      assertThat(moved.files()).isEqualTo(before.files());
      assertThat(moved).isNotEqualTo(before);
    } finally {
      Files.deleteIfExists(copy.resolve("model.onnx"));
      Files.deleteIfExists(copy);
    }
  }

  @Test
  void missingFolderIsEmpty() {
    assertThat(VersionFingerprint.of(folder.resolve("gone")).files()).isEmpty();
  }
}
