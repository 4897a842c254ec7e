package dev.infera.core.lifecycle;

import static dev.infera.core.lifecycle.RepoFixture.ADD_CONFIG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control modes and the repository API's load, unload and index. */
class ModelControllerTest {
  @TempDir Path repo;
  private RepoFixture fixture;
  private ModelController controller;

  private ModelController start(ControlOptions options) {
    fixture.manager();
    controller = new ModelController(fixture.manager, options);
    controller.start();
    return controller;
  }

  @AfterEach
  void close() {
    if (controller != null) {
      controller.close();
    }
    fixture.close();
  }

  private static void await(CompletableFuture<?> future) throws Exception {
    future.get(10, TimeUnit.SECONDS);
  }

  private static ThrowableAssert.ThrowingCallable awaiting(CompletableFuture<?> future) {
    return () -> {
      try {
        future.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw e.getCause();
      }
    };
  }

  private static void assertCode(
      ThrowableAssert.ThrowingCallable call, ErrorCode code, String text) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(text);
  }

  @Test
  void noneModeLoadsEverythingAndRefusesLoadAndUnload() {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1).model("b", ADD_CONFIG, 1);
    start(ControlOptions.none());

    assertThat(controller.index(true)).extracting(VersionStatus::model).containsExactly("a", "b");
    assertCode(
        awaiting(controller.load("a", Optional.empty())),
        ErrorCode.FAILED_PRECONDITION,
        "needs --model-control-mode explicit (this server runs in mode 'none')");
    assertCode(
        awaiting(controller.unload("a", false)),
        ErrorCode.FAILED_PRECONDITION,
        "model unload needs --model-control-mode explicit");
  }

  @Test
  void explicitModeLoadsOnlyTheNamedModelsAndIndexesTheOthers() {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1).model("b", ADD_CONFIG, 1);
    start(ControlOptions.explicit(List.of("b")));

    assertThat(controller.index(false))
        .extracting(VersionStatus::model, VersionStatus::version, VersionStatus::state)
        .containsExactly(tuple("a", "", ModelState.UNAVAILABLE), tuple("b", "1", ModelState.READY));
    assertThat(controller.index(false).get(0).reason()).isEqualTo("not loaded");
    assertThat(fixture.manager.allReady()).isTrue();
  }

  @Test
  void explicitModeWithStarLoadsEverything() {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1).model("b", ADD_CONFIG, 1);
    start(ControlOptions.explicit(List.of("*")));

    assertThat(controller.index(true)).hasSize(2);
  }

  @Test
  void explicitLoadThenUnload() throws Exception {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1);
    start(ControlOptions.explicit(List.of()));

    await(controller.load("a", Optional.empty()));
    assertThat(fixture.addend("a")).isEqualTo(1);
    await(controller.unload("a", true));

    assertThat(controller.index(false))
        .extracting(VersionStatus::state, VersionStatus::reason)
        .containsExactly(tuple(ModelState.UNAVAILABLE, "unloaded"));
    assertThat(fixture.backend.closedModels.get()).isEqualTo(1);
  }

  @Test
  void loadWithConfigOverrideUsesIt() throws Exception {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1);
    start(ControlOptions.explicit(List.of()));

    await(
        controller.load(
            "a",
            Optional.of(
                "{\"backend\":\"fake\",\"maxBatchSize\":2,"
                    + "\"input\":[{\"name\":\"x\",\"dataType\":\"TYPE_INT32\",\"dims\":[\"2\"]}],"
                    + "\"output\":[{\"name\":\"y\",\"dataType\":\"TYPE_INT32\",\"dims\":[2]}]}")));

    assertThat(fixture.route("a", Optional.empty()).config().getMaxBatchSize()).isEqualTo(2);
  }

  @Test
  void badConfigOverrideIsInvalidArgument() {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1);
    start(ControlOptions.explicit(List.of()));

    assertCode(
        awaiting(controller.load("a", Optional.of("{\"max_batch_size\": \"many\"}"))),
        ErrorCode.INVALID_ARGUMENT,
        "parameter 'config' is not a ModelConfig in JSON");
  }

  @Test
  void loadOfAModelNotInTheRepositoryIsNotFound() {
    fixture = new RepoFixture(repo);
    start(ControlOptions.explicit(List.of()));

    assertCode(
        awaiting(controller.load("ghost", Optional.empty())),
        ErrorCode.NOT_FOUND,
        "model 'ghost' is not in the repository");
    assertCode(awaiting(controller.unload("ghost", false)), ErrorCode.NOT_FOUND, "model 'ghost'");
  }

  @Test
  void failedLoadAnswersWithTheReason() {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1).version("a", 1, "garbage");
    start(ControlOptions.explicit(List.of()));

    assertCode(
        awaiting(controller.load("a", Optional.empty())),
        ErrorCode.INVALID_ARGUMENT,
        "failed to load model 'a': model 'a' version '1' failed to load: cannot parse");
    assertThat(fixture.manager.allReady()).isFalse();
  }

  @Test
  void invalidModelNameIsRefused() {
    fixture = new RepoFixture(repo);
    start(ControlOptions.explicit(List.of()));

    assertCode(
        awaiting(controller.load("../etc", Optional.empty())),
        ErrorCode.INVALID_ARGUMENT,
        "model name '../etc'");
  }

  @Test
  void pollNoticesAnAddedVersionAndSwapsToIt() throws Exception {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1);
    start(ControlOptions.poll(Duration.ofHours(1)));
    fixture.version("a", 2, "add");

    assertThat(controller.pollNow().get(10, TimeUnit.SECONDS)).containsExactly("a");

    assertThat(fixture.infer("a", Optional.empty()).modelVersion()).isEqualTo("2");
  }

  @Test
  void pollNoticesAChangedFileAndAConfigEdit() throws Exception {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1);
    start(ControlOptions.poll(Duration.ofHours(1)));

    fixture.version("a", 1, "add 5");
    await(controller.pollNow());
    assertThat(fixture.addend("a")).isEqualTo(5);

    fixture.write("a/config.pbtxt", ADD_CONFIG.replace("max_batch_size: 4", "max_batch_size: 1"));
    await(controller.pollNow());
    assertThat(fixture.route("a", Optional.empty()).config().getMaxBatchSize()).isEqualTo(1);
  }

  @Test
  void pollWithoutChangesLoadsNothing() throws Exception {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1);
    start(ControlOptions.poll(Duration.ofHours(1)));

    assertThat(controller.pollNow().get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(fixture.backend.loaded).isEqualTo(1);
  }

  @Test
  void pollDoesNotReloadAModelFolderThatLinksToItself() throws Exception {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1);
    java.nio.file.Files.createSymbolicLink(repo.resolve("loop"), Path.of("loop"));
    start(ControlOptions.poll(Duration.ofHours(1)));

    assertThat(controller.pollNow().get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void pollNoticesAddedAndRemovedModels() throws Exception {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1);
    start(ControlOptions.poll(Duration.ofHours(1)));
    fixture.model("b", ADD_CONFIG, 1);
    fixture.deleteTree("a");

    assertThat(controller.pollNow().get(10, TimeUnit.SECONDS)).containsExactlyInAnyOrder("a", "b");

    assertThat(controller.index(false)).extracting(VersionStatus::model).containsExactly("b");
    assertThat(fixture.manager.allReady()).isTrue();
  }

  @Test
  void pollNoticesARemovedVersion() throws Exception {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG + "version_policy { all { } }", 1, 2);
    start(ControlOptions.poll(Duration.ofHours(1)));
    fixture.deleteTree("a/2");

    await(controller.pollNow());

    assertThat(fixture.manager.readyVersions("a"))
        .extracting(ServingVersion::version)
        .containsExactly(1L);
  }

  @Test
  void pollRunsOnItsOwnEveryInterval() throws Exception {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1);
    start(ControlOptions.poll(Duration.ofMillis(20)));
    fixture.version("a", 2, "add");

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (fixture.manager.readyVersions("a").stream().noneMatch(v -> v.version() == 2)
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }

    assertThat(fixture.manager.readyVersions("a"))
        .extracting(ServingVersion::version)
        .containsExactly(2L);
  }

  @Test
  void pollNowOutsidePollModeIsRefused() {
    fixture = new RepoFixture(repo);
    start(ControlOptions.none());

    assertCode(awaiting(controller.pollNow()), ErrorCode.FAILED_PRECONDITION, "poll");
  }

  private void writeLatin1Config(String name) throws IOException {
    Files.write(
        repo.resolve(name + "/config.pbtxt"),
        (ADD_CONFIG + "# caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aConfigThatIsNotUtf8MakesOnlyThatModelUnavailable() throws IOException {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1).model("latin1", ADD_CONFIG, 1);
    writeLatin1Config("latin1");
    start(ControlOptions.none());

    assertThat(controller.index(false))
        .extracting(VersionStatus::model, VersionStatus::state, VersionStatus::reason)
        .containsExactly(
            tuple("a", ModelState.READY, ""),
            tuple(
                "latin1",
                ModelState.UNAVAILABLE,
                "model 'latin1': config.pbtxt is not valid UTF-8 (line 5)"));
  }

  @Test
  void explicitLoadOfAConfigThatIsNotUtf8IsInvalidArgument() throws IOException {
    fixture = new RepoFixture(repo).model("latin1", ADD_CONFIG, 1);
    writeLatin1Config("latin1");
    start(ControlOptions.explicit(List.of()));

    assertCode(
        awaiting(controller.load("latin1", Optional.empty())),
        ErrorCode.INVALID_ARGUMENT,
        "failed to load model 'latin1': model 'latin1': config.pbtxt is not valid UTF-8 (line 5)");
  }

  @Test
  void pollKeepsLoadingOtherModelsBesideAConfigThatIsNotUtf8() throws Exception {
    fixture = new RepoFixture(repo).model("latin1", ADD_CONFIG, 1);
    writeLatin1Config("latin1");
    start(ControlOptions.poll(Duration.ofHours(1)));
    fixture.model("b", ADD_CONFIG, 1);

    assertThat(controller.pollNow().get(10, TimeUnit.SECONDS)).containsExactly("b");

    assertThat(controller.index(true)).extracting(VersionStatus::model).containsExactly("b");
  }

  @Test
  void aConfigurationFailureAfterAVersionFailureAnswersItsOwnReason() {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1).version("a", 1, "garbage");
    start(ControlOptions.explicit(List.of()));
    assertCode(
        awaiting(controller.load("a", Optional.empty())),
        ErrorCode.INVALID_ARGUMENT,
        "version '1' failed to load: cannot parse");

    assertThatThrownBy(awaiting(controller.load("a", Optional.of("{\"max_batch_size\": -7}"))))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("max_batch_size -7")
        .hasMessageNotContaining("cannot parse");
    assertThat(controller.index(false))
        .extracting(VersionStatus::reason)
        .allSatisfy(reason -> assertThat(reason).doesNotContain("cannot parse"));
  }

  @Test
  void pollWhileTheRepositoryIsGoneKeepsTheLoadedModelsAndTheIndex() throws Exception {
    fixture = new RepoFixture(repo).model("a", ADD_CONFIG, 1);
    start(ControlOptions.poll(Duration.ofHours(1)));
    Path moved = repo.resolveSibling(repo.getFileName() + "-moved");
    Files.move(repo, moved);

    try {
      assertThat(controller.pollNow().get(10, TimeUnit.SECONDS)).isEmpty();
      assertThat(controller.pollNow().get(10, TimeUnit.SECONDS)).isEmpty();
      assertThat(controller.index(true)).extracting(VersionStatus::model).containsExactly("a");
      assertThat(fixture.addend("a")).isEqualTo(1);
    } finally {
      Files.move(moved, repo);
    }
    fixture.model("b", ADD_CONFIG, 1);

    assertThat(controller.pollNow().get(10, TimeUnit.SECONDS)).containsExactly("b");
  }
}
