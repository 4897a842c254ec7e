package dev.infera.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.Deadline;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.RequestOptions;
import dev.infera.core.ServerMetadata;
import dev.infera.core.engine.ServingEngine;
import dev.infera.core.repository.LocalModelRepository;
import dev.infera.core.routing.Router;
import dev.infera.core.scheduling.Ticker;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manager and engine over a real local repository, with {@link FakeBackend} as backend. */
class ModelManagerTest {
  private static final String ADD_CONFIG =
      """
      backend: "fake"
      max_batch_size: 4
      input [ { name: "x", data_type: TYPE_INT32, dims: [ 2 ] } ]
      output [ { name: "y", data_type: TYPE_INT32, dims: [ 2 ] } ]
      """;

  @TempDir Path repo;
  private final FakeBackend backend = new FakeBackend();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private ModelManager manager;
  private ServingEngine engine;

  private void model(String name, String config, long... versions) throws IOException {
    Path dir = Files.createDirectories(repo.resolve(name));
    if (config != null) {
      Files.writeString(dir.resolve("config.pbtxt"), config);
    }
    for (long version : versions) {
      Files.writeString(
          Files.createDirectories(dir.resolve(Long.toString(version))).resolve("model.fake"),
          "add");
    }
  }

  private void start() {
    start(ManagerOptions.defaults());
  }

  private void start(ManagerOptions options) {
    manager =
        new ModelManager(
            new LocalModelRepository(repo),
            new BackendRegistry(List.of(backend)),
            new BatchingSchedulerFactory(Ticker.system()),
            meters,
            options);
    manager.loadAll();
    engine =
        new ServingEngine(
            Router.highestReady(manager::routingTable),
            manager::allReady,
            new ServerMetadata("infera", "test", List.of()),
            System::nanoTime);
    engine.startServing();
  }

  @AfterEach
  void close() {
    if (manager != null) {
      manager.close();
    }
  }

  private static Tensor x(int a, int b) {
    ByteBuffer data =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(a).putInt(b).flip();
    return Tensor.of("x", DataType.INT32, new long[] {1, 2}, data);
  }

  private InferenceResponse infer(String model, Optional<String> version) throws Exception {
    InferenceRequest request =
        new InferenceRequest(
            model,
            version,
            Optional.of("r1"),
            List.of(x(10, 20)),
            List.of(),
            RequestOptions.DEFAULT);
    return engine.infer(request).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRequestWhoseDeadlinePassedFailsBeforeItIsQueued() throws Exception {
    model("add", ADD_CONFIG, 1);
    start();
    RequestOptions late =
        RequestOptions.builder().deadline(new Deadline(System.nanoTime() - 1)).build();
    RequestOptions early =
        RequestOptions.builder()
            .deadline(Deadline.after(Duration.ofMinutes(1), System.nanoTime()))
            .build();

    assertThatThrownBy(
            () ->
                engine
                    .infer(InferenceRequest.of("add", List.of(x(1, 2))).withOptions(late))
                    .get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InferenceException.class)
        .cause()
        .satisfies(
            e -> assertThat(((InferenceException) e).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED))
        .hasMessageContaining("deadline passed before it was queued");
    assertThat(
            engine
                .infer(InferenceRequest.of("add", List.of(x(1, 2))).withOptions(early))
                .get(10, TimeUnit.SECONDS)
                .outputs())
        .hasSize(1);
    assertThat(backend.executions.get()).isEqualTo(1);
  }

  @Test
  void servesTheHighestVersionByDefault() throws Exception {
    model("add", ADD_CONFIG + "version_policy { latest { num_versions: 2 } }", 1, 2, 3);
    start();

    InferenceResponse response = infer("add", Optional.empty());

    assertThat(response.modelVersion()).isEqualTo("3");
    assertThat(response.id()).contains("r1");
    assertThat(response.outputs().get(0).data().getInt(0)).isEqualTo(13);
    assertThat(infer("add", Optional.of("2")).outputs().get(0).data().getInt(0)).isEqualTo(12);
    assertThat(manager.readyVersions("add"))
        .extracting(ServingVersion::version)
        .containsExactly(2L, 3L);
  }

  @Test
  void versionOutsideThePolicyIsNotFound() throws Exception {
    model("add", ADD_CONFIG, 1, 2);
    start();

    assertThatThrownBy(
            () ->
                Router.highestReady(manager::routingTable)
                    .route("add", Optional.of("1"), Optional.empty()))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("version '1' is not ready")
        .satisfies(e -> assertThat(((InferenceException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void specificVersionPolicyLoadsExactlyThoseVersions() throws Exception {
    model("add", ADD_CONFIG + "version_policy { specific { versions: [1, 3] } }", 1, 2, 3);
    start();

    assertThat(manager.readyVersions("add"))
        .extracting(ServingVersion::version)
        .containsExactly(1L, 3L);
  }

  @Test
  void brokenModelIsUnavailableWithItsReasonWhileOthersServe() throws Exception {
    model("add", ADD_CONFIG, 1);
    model("bad_config", "backend: \"fake\"\nmax_batch_size: -3\nno_such_field: 1\n", 1);
    model("bad_file", ADD_CONFIG, 1);
    Files.writeString(repo.resolve("bad_file/1/model.fake"), "broken");
    start();

    assertThat(infer("add", Optional.empty()).outputs()).hasSize(1);
    assertThat(engine.isReady()).isFalse();
    assertThat(manager.index())
        .filteredOn(status -> status.model().equals("bad_config"))
        .singleElement()
        .satisfies(
            status -> {
              assertThat(status.state()).isEqualTo(ModelState.UNAVAILABLE);
              assertThat(status.reason()).contains("no_such_field");
            });
    assertThatThrownBy(() -> infer("bad_file", Optional.empty()))
        .hasMessageContaining("cannot parse model file");
  }

  @Test
  void aModelBrokenAtConfigLevelHasAStateSeries() throws Exception {
    model("add", ADD_CONFIG, 1);
    model("bad_config", "backend: \"fake\"\nmax_batch_size: -3\n", 1);
    start();

    assertThat(
            meters
                .get(dev.infera.core.metrics.MetricNames.MODEL_STATE)
                .tags("model", "bad_config", "version", "", "state", "UNAVAILABLE")
                .gauge()
                .value())
        .isEqualTo(1);
  }

  @Test
  void aModelFileOutsideAVersionFolderIsPointedOut() throws Exception {
    model("flat", ADD_CONFIG);
    Files.writeString(repo.resolve("flat/model.fake"), "add");
    start();

    assertThat(manager.index())
        .filteredOn(status -> status.model().equals("flat"))
        .singleElement()
        .satisfies(
            status ->
                assertThat(status.reason())
                    .contains("no version folder")
                    .contains("'model.fake' sits in the model folder")
                    .contains("flat/1/model.fake"));
  }

  @Test
  void aModelWithoutVersionsNamesTheFoldersItIgnoredAndWhy() throws Exception {
    model("named", ADD_CONFIG);
    Files.createDirectories(repo.resolve("named/v1"));
    start();

    assertThat(manager.index())
        .filteredOn(status -> status.model().equals("named"))
        .singleElement()
        .satisfies(
            status ->
                assertThat(status.reason())
                    .isEqualTo(
                        "model 'named': no version folder to load: 'v1' is not a version number"
                            + " (expected a folder named by a whole number such as 1)"));
  }

  @Test
  void aModelNamesAtMostThreeIgnoredFolders() throws Exception {
    model("many", ADD_CONFIG);
    for (String folder : new String[] {"a", "b", "c", "d", "e"}) {
      Files.createDirectories(repo.resolve("many").resolve(folder));
    }
    start();

    assertThat(manager.index())
        .filteredOn(status -> status.model().equals("many"))
        .singleElement()
        .satisfies(
            status ->
                assertThat(status.reason())
                    .contains("'c' is not a version number")
                    .doesNotContain("'d'")
                    .endsWith("; and 2 more"));
  }

  @Test
  void foldersThatAreNoVersionsAreIgnoredBesideAVersion() throws Exception {
    model("mixed", ADD_CONFIG, 1);
    Files.createDirectories(repo.resolve("mixed/v2"));
    start();

    assertThat(manager.readyVersions("mixed"))
        .extracting(ServingVersion::version)
        .containsExactly(1L);
  }

  @Test
  void aConfigThatIsAFolderMakesTheModelUnavailable() throws Exception {
    model("folder_config", null, 1);
    Files.createDirectories(repo.resolve("folder_config/config.pbtxt"));
    start();

    assertThat(manager.index())
        .filteredOn(status -> status.model().equals("folder_config"))
        .singleElement()
        .satisfies(
            status ->
                assertThat(status.reason())
                    .isEqualTo(
                        "model 'folder_config': config.pbtxt is a folder (expected a file)"));
  }

  @Test
  void aModelFolderThatLinksToItselfIsListedUnavailable() throws Exception {
    Files.createSymbolicLink(repo.resolve("loop"), Path.of("loop"));
    start();

    assertThat(manager.index())
        .filteredOn(status -> status.model().equals("loop"))
        .singleElement()
        .satisfies(
            status ->
                assertThat(status.reason())
                    .isEqualTo(
                        "model 'loop': the model folder cannot be read: a symbolic link that"
                            + " loops"));
  }

  @Test
  void aSequenceBatchingModelFailsItsLoadWithTheReason() throws Exception {
    model(
        "stateful", ADD_CONFIG + "sequence_batching { max_sequence_idle_microseconds: 1000 }\n", 1);
    start();

    assertThat(manager.index())
        .filteredOn(status -> status.model().equals("stateful"))
        .singleElement()
        .satisfies(
            status -> {
              assertThat(status.state()).isEqualTo(ModelState.UNAVAILABLE);
              assertThat(status.reason()).contains("sequence_batching").contains("not supported");
            });
  }

  @Test
  void modelWithoutConfigIsCompletedFromTheFile() throws Exception {
    model("auto", null, 1);
    start();

    assertThat(infer("auto", Optional.empty()).outputs().get(0).data().getInt(4)).isEqualTo(21);
    assertThat(engine.modelMetadata("auto", Optional.empty()).inputs().get(0).shape())
        .containsExactly(-1, 2);
  }

  @Test
  void anInstanceCountReplacesEveryGroupsCountAndGivesAModelWithoutGroupsOne() throws Exception {
    model("grouped", ADD_CONFIG + "instance_group [ { count: 1, kind: KIND_CPU } ]", 1);
    model("ungrouped", ADD_CONFIG, 1);
    start(ManagerOptions.defaults().withInstanceCount(InstanceCount.of(3)));

    for (String name : List.of("grouped", "ungrouped")) {
      assertThat(engine.modelConfig(name, Optional.empty()).getInstanceGroupList())
          .singleElement()
          .satisfies(group -> assertThat(group.getCount()).isEqualTo(3));
      assertThat(infer(name, Optional.empty()).outputs().get(0).data().getInt(4)).isEqualTo(21);
    }
    assertThat(backend.instancesCreated.get()).isEqualTo(6);
  }

  @Test
  void fillingTheCoresGivesAsManyInstancesAsTheBackendsThreadsTakeAndKeepsTheRestConfigured()
      throws Exception {
    String oneCore =
        "parameters { key: \"fake_cores_per_instance\" value: { string_value: \"1\" } }\n";
    model("one_core", ADD_CONFIG + oneCore + "instance_group [ { count: 1, kind: KIND_CPU } ]", 1);
    model("unknown", ADD_CONFIG + "instance_group [ { count: 1, kind: KIND_CPU } ]", 1);
    model("ungrouped", ADD_CONFIG + oneCore, 1);
    start(ManagerOptions.defaults().withInstanceCount(InstanceCount.fillCores()));

    int processors = Runtime.getRuntime().availableProcessors();
    for (String name : List.of("one_core", "ungrouped")) {
      assertThat(engine.modelConfig(name, Optional.empty()).getInstanceGroupList())
          .singleElement()
          .satisfies(group -> assertThat(group.getCount()).isEqualTo(processors));
      assertThat(infer(name, Optional.empty()).outputs().get(0).data().getInt(4)).isEqualTo(21);
    }
    // the backend cannot tell for this one: the configured count stands
    assertThat(engine.modelConfig("unknown", Optional.empty()).getInstanceGroupList())
        .singleElement()
        .satisfies(group -> assertThat(group.getCount()).isEqualTo(1));
    assertThat(backend.instancesCreated.get()).isEqualTo(2 * processors + 1);
  }

  @Test
  void anInstanceCountOverTheMachinesLimitFailsTheLoadNamingIt() throws Exception {
    model("grouped", ADD_CONFIG, 1);
    start(ManagerOptions.defaults().withInstanceCount(InstanceCount.of(100_000)));

    assertThat(manager.statuses("grouped"))
        .singleElement()
        .satisfies(
            status ->
                assertThat(status.reason())
                    .contains("instance_group: 100000 instances in all are over the limit"));
    assertThat(backend.instancesCreated.get()).isZero();
  }

  @Test
  void unknownModelIsNotFound() throws Exception {
    start();

    assertThatThrownBy(() -> infer("nothing", Optional.empty()))
        .hasCauseInstanceOf(InferenceException.class)
        .hasMessageContaining("model 'nothing' is not found");
  }

  @Test
  void unloadDrainsAndClosesTheModel() throws Exception {
    model("add", ADD_CONFIG, 1);
    start();

    manager.unload("add").get(10, TimeUnit.SECONDS);

    assertThat(backend.closedModels.get()).isEqualTo(1);
    assertThat(engine.isModelReady("add", Optional.empty())).isFalse();
    assertThat(meters.find("infera.inference.request.success").tag("model", "add").counter())
        .isNull();
  }

  @Test
  void successAndFailuresAreCounted() throws Exception {
    model("add", ADD_CONFIG, 1);
    start();

    infer("add", Optional.empty());
    Tensor wrong = Tensor.of("x", DataType.INT32, new long[] {1, 1}, ByteBuffer.allocate(4));
    assertThatThrownBy(() -> engine.infer(InferenceRequest.of("add", List.of(wrong))).join());

    assertThat(meters.get("infera.inference.request.success").tag("model", "add").counter().count())
        .isEqualTo(1);
    assertThat(
            meters
                .get("infera.inference.request.failure")
                .tag("reason", "invalid_argument")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(meters.get("infera.inference.exec.count").tag("model", "add").counter().count())
        .isEqualTo(1);
  }
}
