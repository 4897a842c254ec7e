package dev.infera.core.lifecycle;

import static dev.infera.core.lifecycle.RepoFixture.ADD_CONFIG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.metrics.MetricNames;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading a model: what is kept, what is swapped, what a failure leaves serving. */
class ModelReloadTest {
  @TempDir Path repo;
  private RepoFixture fixture;

  private RepoFixture fixture() {
    fixture = new RepoFixture(repo);
    return fixture;
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void unchangedVersionsKeepServingWithoutReloading() {
    fixture().model("m", ADD_CONFIG, 1).manager().load("m");
    ServingVersion before = (ServingVersion) fixture.route("m", Optional.empty());

    fixture.manager.load("m");

    assertThat(fixture.route("m", Optional.empty())).isSameAs(before);
    assertThat(fixture.backend.loaded).isEqualTo(1);
  }

  @Test
  void changedFilesAreLoadedBesideAndTheOldVersionIsClosed() throws Exception {
    fixture().model("m", ADD_CONFIG, 1).manager().load("m");
    ServingVersion before = (ServingVersion) fixture.route("m", Optional.empty());
    fixture.version("m", 1, "add 7");

    fixture.manager.load("m");

    assertThat(fixture.addend("m")).isEqualTo(7);
    before.closed().get(10, TimeUnit.SECONDS);
    assertThat(before.state()).isEqualTo(ModelState.UNAVAILABLE);
    assertThat(fixture.backend.closedModels.get()).isEqualTo(1);
  }

  @Test
  void versionReloadedUnderTheSameNumberKeepsItsMeters() throws Exception {
    fixture().model("m", ADD_CONFIG, 1).manager().load("m");
    fixture.infer("m", Optional.empty());
    ServingVersion before = (ServingVersion) fixture.route("m", Optional.empty());
    fixture.version("m", 1, "add 7");

    fixture.manager.load("m");
    before.closed().get(10, TimeUnit.SECONDS);
    fixture.infer("m", Optional.empty());

    assertThat(fixture.counter(MetricNames.REQUEST_SUCCESS, "m", "1")).isEqualTo(2);
    assertThat(
            fixture
                .meters
                .find(MetricNames.QUEUE_DEPTH)
                .tag("model", "m")
                .tag("version", "1")
                .gauge())
        .isNotNull();
  }

  @Test
  void newVersionTakesOverAndTheRetiredOneIsUnloaded() {
    fixture().model("m", ADD_CONFIG, 1).manager().load("m");
    fixture.version("m", 2, "add");

    fixture.manager.load("m");

    assertThat(fixture.infer("m", Optional.empty()).modelVersion()).isEqualTo("2");
    assertThatThrownBy(() -> fixture.route("m", Optional.of("1")))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("version '1' is not ready (ready versions: [2])");
  }

  @Test
  void configEditReloadsEveryVersion() {
    fixture().model("m", ADD_CONFIG, 1).manager().load("m");
    fixture.write("m/config.pbtxt", ADD_CONFIG.replace("max_batch_size: 4", "max_batch_size: 2"));

    fixture.manager.load("m");

    assertThat(fixture.route("m", Optional.empty()).config().getMaxBatchSize()).isEqualTo(2);
    assertThat(fixture.backend.loaded).isEqualTo(2);
  }

  @Test
  void failedReloadLeavesTheOldVersionServingWithTheReason() {
    fixture().model("m", ADD_CONFIG, 1).manager().load("m");
    fixture.version("m", 1, "garbage");

    boolean ready = fixture.manager.load("m");

    assertThat(ready).isTrue();
    assertThat(fixture.addend("m")).isEqualTo(1);
    assertThat(fixture.manager.statuses("m"))
        .singleElement()
        .satisfies(
            status -> {
              assertThat(status.state()).isEqualTo(ModelState.READY);
              assertThat(status.reason()).contains("reload failed").contains("cannot parse");
            });
    assertThat(fixture.counter(MetricNames.MODEL_LOAD_FAILURE, "m", "1")).isEqualTo(1);
  }

  @Test
  void brokenConfigEditLeavesTheOldVersionServing() {
    fixture().model("m", ADD_CONFIG, 1).manager().load("m");
    fixture.write("m/config.pbtxt", ADD_CONFIG + "no_such_field: 1\n");

    fixture.manager.load("m");

    assertThat(fixture.addend("m")).isEqualTo(1);
    assertThat(fixture.manager.statuses("m").get(0).reason()).contains("no_such_field");
  }

  @Test
  void unloadedModelIsNotFoundAndEachVersionSaysUnloaded() throws Exception {
    fixture().model("m", ADD_CONFIG + "version_policy { all { } }", 1, 2).manager().load("m");

    fixture.manager.unload("m").get(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> fixture.route("m", Optional.empty()))
        .isInstanceOfSatisfying(
            InferenceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining("is not loaded: unloaded");
    assertThat(fixture.manager.statuses("m"))
        .extracting(VersionStatus::version, VersionStatus::state, VersionStatus::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1", ModelState.UNAVAILABLE, "unloaded"),
            org.assertj.core.groups.Tuple.tuple("2", ModelState.UNAVAILABLE, "unloaded"));
  }

  @Test
  void unloadedModelDoesNotCountAgainstReadiness() throws Exception {
    fixture().model("m", ADD_CONFIG, 1).model("broken", ADD_CONFIG, 1).manager();
    fixture.version("broken", 1, "garbage");
    fixture.manager.loadAll();
    assertThat(fixture.manager.allReady()).isFalse();

    fixture.manager.unload("broken").get(10, TimeUnit.SECONDS);

    assertThat(fixture.manager.allReady()).isTrue();
  }

  @Test
  void withoutStrictReadinessAFailedModelLeavesTheServerReady() {
    fixture().model("broken", ADD_CONFIG, 1).version("broken", 1, "garbage");
    fixture.manager(ManagerOptions.defaults().withStrictReadiness(false)).loadAll();

    assertThat(fixture.manager.allReady()).isTrue();
    assertThat(fixture.engine.isReady()).isTrue();
  }

  @Test
  void loadAndUnloadAreTimedAndStatesAreGauged() throws Exception {
    fixture().model("m", ADD_CONFIG, 1).manager().load("m");
    assertThat(stateGauge("m", "1", "READY")).isEqualTo(1);
    assertThat(stateGauge("m", "1", "LOADING")).isZero();

    fixture.manager.unload("m").get(10, TimeUnit.SECONDS);

    assertThat(fixture.timerCount(MetricNames.MODEL_LOAD_DURATION, "m", "1")).isEqualTo(1);
    assertThat(fixture.timerCount(MetricNames.MODEL_UNLOAD_DURATION, "m", "1")).isEqualTo(1);
    assertThat(stateGauge("m", "1", "UNAVAILABLE")).isEqualTo(1);
    assertThat(stateGauge("m", "1", "READY")).isZero();
  }

  private double stateGauge(String model, String version, String state) {
    return fixture
        .meters
        .get(MetricNames.MODEL_STATE)
        .tag("model", model)
        .tag("version", version)
        .tag("state", state)
        .gauge()
        .value();
  }

  @Test
  void configOverrideReplacesTheFolderConfigForThatLoad() {
    fixture().model("m", ADD_CONFIG, 1).manager();

    fixture.manager.load(
        "m",
        Optional.of(
            ConfigOverride.parse(
                "{\"backend\":\"fake\",\"max_batch_size\":3,"
                    + "\"input\":[{\"name\":\"x\",\"data_type\":\"TYPE_INT32\",\"dims\":[2]}],"
                    + "\"output\":[{\"name\":\"y\",\"data_type\":\"TYPE_INT32\",\"dims\":[2]}]}",
                "m")));

    assertThat(fixture.route("m", Optional.empty()).config().getMaxBatchSize()).isEqualTo(3);
  }
}
