package dev.infera.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.repository.ModelSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The repository against a real S3 API server (S3Proxy with its in-memory blob store), with a clock
 * the test advances: the settle period passes without waiting.
 */
class S3ModelRepositoryTest {
  private static final Duration SETTLE = Duration.ofSeconds(10);
  private static final String CONFIG = "name: \"m\"\nmax_batch_size: 4\n";

  @RegisterExtension static final S3ProxyExtension S3 = TestBucket.server();

  @TempDir Path cache;
  private final MutableClock clock = new MutableClock();
  private TestBucket bucket;
  private S3ModelRepository repository;

  @BeforeEach
  void bucket() {
    bucket = TestBucket.on(S3);
  }

  @AfterEach
  void close() {
    if (repository != null) {
      repository.close();
    }
    bucket.close();
  }

  private S3ModelRepository open() {
    repository =
        new S3ModelRepository(
            bucket.location("repo"),
            S3Repositories.client(bucket.location("repo"), bucket.credentials()),
            cache,
            new SettleRule(clock, SETTLE));
    return repository;
  }

  /** Two listings a settle period apart: what a POLL-mode server does at its polls. */
  private void pollTwice() {
    repository.modelNames();
    clock.advance(SETTLE);
    repository.modelNames();
  }

  @Test
  void mirrorsASettledModelWithItsConfigAndVersions() throws Exception {
    bucket.put("repo/m/config.pbtxt", CONFIG);
    bucket.put("repo/m/1/model.onnx", "weights-1");
    bucket.put("repo/m/1/vocab/words.txt", "a b c");
    bucket.put("repo/m/notes.txt", "ignored");
    bucket.put("outside/m/1/model.onnx", "not under the prefix");
    open();

    assertThat(repository.modelNames()).as("first listing: nothing settled yet").isEmpty();
    clock.advance(SETTLE);
    assertThat(repository.modelNames()).containsExactly("m");

    ModelSource source = repository.find("m").orElseThrow();
    assertThat(source.configText()).contains(CONFIG);
    assertThat(source.versions()).containsOnlyKeys(1L);
    Path version = source.versions().get(1L);
    assertThat(version).startsWith(cache);
    assertThat(Files.readString(version.resolve("model.onnx"))).isEqualTo("weights-1");
    assertThat(Files.readString(version.resolve("vocab/words.txt"))).isEqualTo("a b c");
    assertThat(source.directory().resolve("notes.txt")).doesNotExist();
    assertThat(repository.find("outside")).isEmpty();
  }

  @Test
  void versionFoldersAreReadByTheLocalRule() {
    bucket.put("repo/m/1/model.onnx", "weights-1");
    bucket.put("repo/m/01/model.onnx", "not version 1");
    bucket.put("repo/m/9223372036854775807/model.onnx", "the largest version");
    bucket.put("repo/m/9223372036854775808/model.onnx", "out of range");
    open();
    pollTwice();

    assertThat(repository.find("m").orElseThrow().versions()).containsOnlyKeys(1L, Long.MAX_VALUE);
  }

  @Test
  void aNewVersionAppearsOnceItsListingHasSettled() {
    bucket.put("repo/m/config.pbtxt", CONFIG);
    bucket.put("repo/m/1/model.onnx", "weights-1");
    open();
    pollTwice();

    bucket.put("repo/m/2/model.onnx", "weights-2");
    assertThat(repository.find("m").orElseThrow().versions()).containsOnlyKeys(1L);
    repository.modelNames();
    assertThat(repository.find("m").orElseThrow().versions()).containsOnlyKeys(1L);
    clock.advance(SETTLE);
    repository.modelNames();
    assertThat(repository.find("m").orElseThrow().versions()).containsOnlyKeys(1L, 2L);
  }

  @Test
  void aHalfUploadedVersionIsNeverServed() throws Exception {
    bucket.put("repo/m/config.pbtxt", CONFIG);
    bucket.put("repo/m/1/model.onnx", "weights-1");
    open();
    pollTwice();

    // The uploader writes version 2's files one by one; every poll sees a different listing.
    for (int file = 0; file < 5; file++) {
      bucket.put("repo/m/2/part-" + file, "part " + file);
      repository.modelNames();
      assertThat(repository.find("m").orElseThrow().versions())
          .as("after part %d", file)
          .containsOnlyKeys(1L);
      clock.advance(SETTLE.dividedBy(2));
    }
    clock.advance(SETTLE);
    repository.modelNames();
    Path two = repository.find("m").orElseThrow().versions().get(2L);
    try (var files = Files.list(two)) {
      assertThat(files).hasSize(5);
    }
  }

  @Test
  void aVersionRewrittenInPlaceKeepsServingItsPreviousFilesUntilTheNewOnesSettle()
      throws Exception {
    bucket.put("repo/m/config.pbtxt", CONFIG);
    bucket.put("repo/m/1/model.onnx", "old");
    open();
    pollTwice();
    Path old = repository.find("m").orElseThrow().versions().get(1L);

    bucket.put("repo/m/1/model.onnx", "new weights");
    repository.modelNames();
    assertThat(repository.find("m").orElseThrow().versions().get(1L)).isEqualTo(old);
    assertThat(Files.readString(old.resolve("model.onnx"))).isEqualTo("old");

    clock.advance(SETTLE);
    repository.modelNames();
    Path fresh = repository.find("m").orElseThrow().versions().get(1L);
    assertThat(fresh).isNotEqualTo(old);
    assertThat(Files.readString(fresh.resolve("model.onnx"))).isEqualTo("new weights");

    repository.modelNames();
    assertThat(old).as("an unused mirror is deleted").doesNotExist();
  }

  @Test
  void aDeletedModelLeavesTheListing() {
    bucket.put("repo/m/config.pbtxt", CONFIG);
    bucket.put("repo/m/1/model.onnx", "weights");
    open();
    pollTwice();

    bucket.deleteAll("repo/m/");
    assertThat(repository.modelNames()).isEmpty();
    assertThat(repository.find("m")).isEmpty();
  }

  @Test
  void anUnchangedRepositoryIsNotDownloadedAgain() throws Exception {
    bucket.put("repo/m/config.pbtxt", CONFIG);
    bucket.put("repo/m/1/model.onnx", "weights");
    open();
    pollTwice();
    Path version = repository.find("m").orElseThrow().versions().get(1L);
    var modified = Files.getLastModifiedTime(version.resolve("model.onnx"));

    clock.advance(SETTLE);
    repository.modelNames();
    assertThat(repository.find("m").orElseThrow().versions().get(1L)).isEqualTo(version);
    assertThat(Files.getLastModifiedTime(version.resolve("model.onnx"))).isEqualTo(modified);
  }

  @Test
  void wrongCredentialsFailWithAClearMessage() {
    var wrong = StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "wrong"));
    assertThatThrownBy(
            () -> S3Repositories.open(bucket.location("repo"), cache, Duration.ZERO, wrong, clock))
        .isInstanceOf(S3RepositoryException.class)
        .hasMessageContaining("model repository s3://")
        .hasMessageContaining("cannot list")
        .hasMessageContaining("access denied")
        .hasMessageContaining("AWS_ACCESS_KEY_ID")
        .hasMessageContaining("HTTP 403");
  }

  @Test
  void aMissingBucketIsNamed() {
    S3Location missing = bucket.location("absent", "repo");
    assertThatThrownBy(
            () -> S3Repositories.open(missing, cache, Duration.ZERO, bucket.credentials(), clock))
        .isInstanceOf(S3RepositoryException.class)
        .hasMessageContaining("the bucket 'absent' does not exist");
  }

  @Test
  void aListingFailureChangesNothing() {
    bucket.put("repo/m/config.pbtxt", CONFIG);
    bucket.put("repo/m/1/model.onnx", "weights");
    open();
    pollTwice();
    Path version = repository.find("m").orElseThrow().versions().get(1L);

    // The server stays up; the listing fails because the bucket went away.
    bucket.deleteAll("");
    bucket.deleteBucket();
    assertThatThrownBy(repository::modelNames).isInstanceOf(S3RepositoryException.class);
    assertThat(repository.find("m").orElseThrow().versions().get(1L)).isEqualTo(version);
    assertThat(new String(readAll(version.resolve("model.onnx")), StandardCharsets.UTF_8))
        .isEqualTo("weights");
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
