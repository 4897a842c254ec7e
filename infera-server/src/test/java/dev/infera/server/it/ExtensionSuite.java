package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.InferaServer;
import dev.infera.server.it.ExtensionClient.Answer;
import dev.infera.server.it.ExtensionClient.AnsweredOutput;
import dev.infera.server.it.ExtensionClient.Code;
import dev.infera.server.it.ExtensionClient.Region;
import dev.infera.server.it.ExtensionClient.ShmInput;
import dev.infera.server.it.ExtensionClient.ShmOutput;
import dev.infera.server.it.ExtensionClient.VersionStats;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.protocol.Extensions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Triton's statistics, model configuration and system shared memory extensions, run against the
 * shared real server by each transport. Statistics are compared before and after the suite's own
 * calls (the suites of a JVM run one after the other). Shared memory objects are real POSIX ones
 * under /dev/shm, removed after each test; every test leaves the server ready.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExtensionSuite {
  protected InferaServer server;
  protected ExtensionClient client;
  protected ProtocolClient protocol;
  private final List<Path> objects = new ArrayList<>();

  protected abstract ExtensionClient connect(InferaServer server);

  protected abstract ProtocolClient connectProtocol(InferaServer server);

  @BeforeAll
  void start() {
    server = SharedServer.get();
    client = connect(server);
    protocol = connectProtocol(server);
  }

  @AfterAll
  void closeClients() {
    client.close();
    protocol.close();
  }

  @AfterEach
  void cleanUp() throws IOException {
    client.unregister(null);
    for (Path object : objects) {
      Files.deleteIfExists(object);
    }
    objects.clear();
    assertThat(protocol.serverReady()).as("server ready after the test").isTrue();
  }

  /** A new POSIX shared memory object of {@code size} zero bytes; returns its key. */
  protected String sharedMemoryObject(int size) throws IOException {
    String name = "infera-it-" + UUID.randomUUID();
    Path file = Path.of("/dev/shm", name);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
    objects.add(file);
    return "/" + name;
  }

  private static Call simpleCall(long rows) {
    int[] values = new int[(int) rows * 16];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    return Call.of(
        "simple",
        List.of(
            TestTensors.int32("INPUT0", new long[] {rows, 16}, values),
            TestTensors.int32("INPUT1", new long[] {rows, 16}, values)));
  }

  private VersionStats simpleStats() {
    Answer<List<VersionStats>> answer = client.statistics("simple", "1");
    assertThat(answer.code()).as(answer.message()).isEqualTo(Code.OK);
    assertThat(answer.value()).hasSize(1);
    return answer.value().get(0);
  }

  private static long count(VersionStats stats, String name) {
    return stats.inferenceStats().get(name)[0];
  }

  private static long nanos(VersionStats stats, String name) {
    return stats.inferenceStats().get(name)[1];
  }

  @Test
  void serverMetadataListsTheOneExtensionList() {
    assertThat(client.extensions()).containsExactlyElementsOf(Extensions.SUPPORTED);
    assertThat(Extensions.SUPPORTED)
        .contains(
            "binary_tensor_data",
            "classification",
            "statistics",
            "model_configuration",
            "system_shared_memory",
            "model_repository",
            "model_repository(unload_dependents)",
            "trace",
            "logging")
        .doesNotHaveDuplicates()
        .doesNotContain("cuda_shared_memory", "sequence");
  }

  @Test
  void statisticsCountEachInferenceAndExecution() {
    VersionStats before = simpleStats();
    for (int rows : new int[] {1, 2, 2}) {
      assertThat(protocol.infer(simpleCall(rows)).outcome()).isEqualTo(Outcome.OK);
    }
    VersionStats after = simpleStats();

    assertThat(after.name()).isEqualTo("simple");
    assertThat(after.version()).isEqualTo("1");
    assertThat(after.inferenceCount() - before.inferenceCount()).isEqualTo(5);
    assertThat(after.executionCount() - before.executionCount()).isEqualTo(3);
    for (String stat : List.of("success", "queue", "compute_input", "compute_infer")) {
      assertThat(count(after, stat) - count(before, stat)).as(stat).isEqualTo(3);
    }
    assertThat(nanos(after, "success")).isGreaterThan(nanos(before, "success"));
    assertThat(nanos(after, "compute_infer")).isGreaterThan(nanos(before, "compute_infer"));
    assertThat(count(after, "fail")).isEqualTo(count(before, "fail"));
    assertThat(after.executionsPerBatchSize().get(2L))
        .isEqualTo(before.executionsPerBatchSize().getOrDefault(2L, 0L) + 2);
    assertThat(after.lastInference())
        .isGreaterThan(0)
        .isGreaterThanOrEqualTo(before.lastInference());
    assertThat(after.inferenceStats())
        .containsOnlyKeys(
            "success",
            "fail",
            "queue",
            "compute_input",
            "compute_infer",
            "compute_output",
            "cache_hit",
            "cache_miss");
  }

  @Test
  void failedRequestsCountAsFailures() {
    VersionStats before = simpleStats();
    Call wrongShape =
        Call.of(
            "simple",
            List.of(
                TestTensors.int32("INPUT0", new long[] {1, 2}, 1, 2),
                TestTensors.int32("INPUT1", new long[] {1, 2}, 1, 2)));
    assertThat(protocol.infer(wrongShape).outcome()).isEqualTo(Outcome.INVALID_ARGUMENT);
    VersionStats after = simpleStats();
    assertThat(count(after, "fail") - count(before, "fail")).isEqualTo(1);
    assertThat(count(after, "success")).isEqualTo(count(before, "success"));
  }

  @Test
  void statisticsOfEveryModelAndOfOneModel() {
    Answer<List<VersionStats>> all = client.statistics(null, null);
    assertThat(all.code()).isEqualTo(Code.OK);
    assertThat(all.value())
        .extracting(VersionStats::name)
        .contains("simple", "string_identity", "tabular_mlp");
    Answer<List<VersionStats>> one = client.statistics("string_identity", null);
    assertThat(one.value()).extracting(VersionStats::name).containsOnly("string_identity");
  }

  @Test
  void statisticsOfUnknownModelOrVersionAreNotFound() {
    Answer<List<VersionStats>> model = client.statistics("no_such_model", null);
    assertThat(model.code()).isEqualTo(Code.NOT_FOUND);
    assertThat(model.message()).contains("no_such_model");
    assertThat(client.statistics("simple", "99").code()).isEqualTo(Code.NOT_FOUND);
  }

  @Test
  void configIsTheEffectiveConfiguration() {
    Answer<ExtensionClient.Config> simple = client.config("simple", null);
    assertThat(simple.code()).as(simple.message()).isEqualTo(Code.OK);
    assertThat(simple.value())
        .isEqualTo(
            new ExtensionClient.Config(
                "simple", "onnxruntime_onnx", 8, List.of("INPUT0", "INPUT1")));
    assertThat(client.config("simple", "1").value()).isEqualTo(simple.value());
  }

  @Test
  void configOfAModelWithoutConfigIsCompletedFromItsFile() {
    Answer<ExtensionClient.Config> completed = client.config("simple_autoconfig", null);
    assertThat(completed.code()).as(completed.message()).isEqualTo(Code.OK);
    assertThat(completed.value().name()).isEqualTo("simple_autoconfig");
    assertThat(completed.value().inputs()).containsExactly("INPUT0", "INPUT1");
  }

  @Test
  void configOfUnknownModelIsNotFound() {
    Answer<ExtensionClient.Config> answer = client.config("no_such_model", null);
    assertThat(answer.code()).isEqualTo(Code.NOT_FOUND);
    assertThat(answer.message()).contains("no_such_model");
  }

  @Test
  void regionsRegisterReportAndUnregister() throws IOException {
    String a = sharedMemoryObject(256);
    String b = sharedMemoryObject(64);
    assertThat(client.register("a", a, 128, 128).code()).isEqualTo(Code.OK);
    assertThat(client.register("b", b, 0, 64).code()).isEqualTo(Code.OK);

    assertThat(client.status(null).value())
        .containsExactlyInAnyOrder(new Region("a", a, 128, 128), new Region("b", b, 0, 64));
    assertThat(client.status("b").value()).containsExactly(new Region("b", b, 0, 64));

    assertThat(client.unregister("a").code()).isEqualTo(Code.OK);
    assertThat(client.status(null).value()).extracting(Region::name).containsExactly("b");
    assertThat(client.unregister(null).code()).isEqualTo(Code.OK);
    assertThat(client.status(null).value()).isEmpty();
  }

  @Test
  void badRegistrationsAreInvalidArguments() throws IOException {
    String key = sharedMemoryObject(64);
    assertThat(client.register("r", key, 0, 64).code()).isEqualTo(Code.OK);

    // Triton's codes: ALREADY_EXISTS, which its HTTP front end answers 400.
    Answer<?> again = client.register("r", key, 0, 8);
    assertThat(again.code()).as(again.message()).isEqualTo(alreadyExists());
    assertThat(again.message()).contains("already registered");
    assertInvalid(client.register("s", key, 32, 64), "past the end");
    assertInvalid(client.register("s", key, 65, 1), "past the end");
    assertInvalid(client.register("s", "/no-such-infera-object", 0, 8), "no shared memory object");
    assertInvalid(
        client.register("s", "/../etc/passwd", 0, 8),
        "shared memory key with a '/' after the leading one is not a POSIX shared memory name");
    assertInvalid(client.register("s", "/dev/shm" + key, 0, 8), "not a POSIX shared memory name");
    assertThat(client.status("s").code()).isEqualTo(Code.NOT_FOUND);
    assertThat(client.status("s").message()).contains("'s' is not registered");
    assertThat(client.status(null).value()).extracting(Region::name).containsExactly("r");
  }

  @Test
  void unregisteringAnUnknownRegionIsHarmless() {
    assertThat(client.unregister("never-registered").code()).isEqualTo(Code.OK);
  }

  @Test
  void cudaSharedMemoryRegistrationIsUnimplementedAndSaysSo() {
    Answer<Void> answer = client.cudaRegister("gpu");
    assertThat(answer.code()).isEqualTo(Code.UNIMPLEMENTED);
    assertThat(answer.message()).contains("cuda_shared_memory");
    // Triton's clients clear and list CUDA regions at start: there are none.
    assertThat(client.cudaRegionCount().value()).isZero();
    assertThat(client.cudaUnregisterAll().code()).isEqualTo(Code.OK);
  }

  private static final long[] ROW = {1, 16};

  private static int[] range(int from) {
    int[] values = new int[16];
    for (int i = 0; i < 16; i++) {
      values[i] = from + i;
    }
    return values;
  }

  private static void writeInts(String key, long offset, int[] values) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile("/dev/shm" + key, "rw")) {
      ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (int v : values) {
        bytes.putInt(v);
      }
      raf.seek(offset);
      raf.write(bytes.array());
    }
  }

  private static int[] readInts(String key, long offset, int count) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile("/dev/shm" + key, "r")) {
      byte[] bytes = new byte[4 * count];
      raf.seek(offset);
      raf.readFully(bytes);
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int[] values = new int[count];
      for (int i = 0; i < count; i++) {
        values[i] = buffer.getInt();
      }
      return values;
    }
  }

  private static int[] sum(int[] a, int[] b, int sign) {
    int[] out = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + sign * b[i];
    }
    return out;
  }

  /** Registers "in" holding INPUT0 = 0..15 at 0 and INPUT1 = 100..115 at 64, and "out". */
  private String[] inputAndOutputRegions() throws IOException {
    String in = sharedMemoryObject(128);
    String out = sharedMemoryObject(128);
    writeInts(in, 0, range(0));
    writeInts(in, 64, range(100));
    assertThat(client.register("in", in, 0, 128).code()).isEqualTo(Code.OK);
    assertThat(client.register("out", out, 0, 128).code()).isEqualTo(Code.OK);
    return new String[] {in, out};
  }

  private static List<ShmInput> inputsInRegion() {
    return List.of(
        ShmInput.inRegion("INPUT0", ROW, "in", 0, 64),
        ShmInput.inRegion("INPUT1", ROW, "in", 64, 64));
  }

  @Test
  void inputsAndOutputsTravelThroughSharedMemory() throws IOException {
    String out = inputAndOutputRegions()[1];

    Answer<List<AnsweredOutput>> answer =
        client.inferShm(
            "simple",
            inputsInRegion(),
            List.of(
                new ShmOutput("OUTPUT0", "out", 0, 64), new ShmOutput("OUTPUT1", "out", 64, 64)));

    assertThat(answer.code()).as(answer.message()).isEqualTo(Code.OK);
    assertThat(readInts(out, 0, 16)).containsExactly(sum(range(0), range(100), 1));
    assertThat(readInts(out, 64, 16)).containsExactly(sum(range(0), range(100), -1));
    for (AnsweredOutput output : answer.value()) {
      assertThat(output.data()).as("no data for " + output.name()).isNull();
      assertThat(output.datatype()).isEqualTo("INT32");
      assertThat(output.shape()).containsExactly(1L, 16L);
      assertThat(output.parameters())
          .containsEntry("shared_memory_region", "out")
          .containsEntry("shared_memory_byte_size", 64L);
    }
  }

  @Test
  void sharedMemoryAndInlineTensorsMix() throws IOException {
    String out = inputAndOutputRegions()[1];

    Answer<List<AnsweredOutput>> answer =
        client.inferShm(
            "simple",
            List.of(
                ShmInput.inRegion("INPUT0", ROW, "in", 0, 64),
                ShmInput.inline("INPUT1", ROW, range(100))),
            List.of(new ShmOutput("OUTPUT0", "out", 32, 64), new ShmOutput("OUTPUT1", null, 0, 0)));

    assertThat(answer.code()).as(answer.message()).isEqualTo(Code.OK);
    assertThat(readInts(out, 32, 16)).containsExactly(sum(range(0), range(100), 1));
    AnsweredOutput inline =
        answer.value().stream().filter(o -> o.name().equals("OUTPUT1")).findFirst().orElseThrow();
    assertThat(inline.data()).containsExactly(sum(range(0), range(100), -1));
  }

  /** INPUT0 placed as given, INPUT1 from "in"; every output inline. */
  private Answer<List<AnsweredOutput>> input0In(String region, long offset, long size) {
    return client.inferShm(
        "simple",
        List.of(
            ShmInput.inRegion("INPUT0", ROW, region, offset, size),
            ShmInput.inRegion("INPUT1", ROW, "in", 64, 64)),
        List.of());
  }

  /** Both inputs from "in"; OUTPUT0 placed as given. */
  private Answer<List<AnsweredOutput>> output0In(String region, long offset, long size) {
    return client.inferShm(
        "simple", inputsInRegion(), List.of(new ShmOutput("OUTPUT0", region, offset, size)));
  }

  @Test
  void unknownRegionIsInvalidArgument() throws IOException {
    inputAndOutputRegions();
    assertInvalid(input0In("nope", 0, 64), "'nope' is not registered");
    assertInvalid(output0In("gone", 0, 64), "'gone' is not registered");
  }

  @Test
  void placementPastTheEndOfTheRegionIsInvalidArgument() throws IOException {
    inputAndOutputRegions();
    assertInvalid(input0In("in", 100, 64), "past the end");
    assertInvalid(output0In("out", 129, 0), "past the end");
  }

  @Test
  void regionTooSmallForTheTensorIsInvalidArgument() throws IOException {
    inputAndOutputRegions();
    assertInvalid(input0In("in", 0, 60), "INPUT0");
    assertInvalid(output0In("out", 0, 32), "needs 64 bytes");
  }

  @Test
  void outputRegionUnregisteredWhileTheRequestWaitsStillReceivesItsOutput() throws Exception {
    InferaServer slow = SlowServer.get();
    java.util.concurrent.ExecutorService caller =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try (ExtensionClient slowClient = connect(slow)) {
      String out = sharedMemoryObject(128);
      assertThat(slowClient.register("late", out, 0, 128).code()).isEqualTo(Code.OK);
      var pending =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  slowClient.inferShm(
                      SlowQueueModel.NAME,
                      List.of(
                          ShmInput.inline("INPUT0", ROW, range(0)),
                          ShmInput.inline("INPUT1", ROW, range(100))),
                      List.of(new ShmOutput("OUTPUT0", "late", 0, 64))),
              caller);
      String depth = "infera_inference_queue_depth{model=\"slow\",version=\"1\"}";
      while (Metrics.value(slow.metricsPort(), depth) < 1 && !pending.isDone()) {
        Thread.onSpinWait(); // the request is decoded and queued once the depth shows it
      }
      assertThat(slowClient.unregister("late").code()).isEqualTo(Code.OK);

      Answer<List<AnsweredOutput>> answer = pending.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answer.code()).as(answer.message()).isEqualTo(Code.OK);
      assertThat(readInts(out, 0, 16)).containsExactly(sum(range(0), range(100), 1));
      assertInvalid(
          slowClient.inferShm(
              SlowQueueModel.NAME,
              List.of(
                  ShmInput.inline("INPUT0", ROW, range(0)),
                  ShmInput.inline("INPUT1", ROW, range(0))),
              List.of(new ShmOutput("OUTPUT0", "late", 0, 64))),
          "'late' is not registered");
      assertThat(slowClient.statistics(SlowQueueModel.NAME, null).code()).isEqualTo(Code.OK);
    } finally {
      caller.shutdownNow();
    }
  }

  /** How the transport answers ALREADY_EXISTS. */
  protected abstract Code alreadyExists();

  protected static void assertInvalid(Answer<?> answer, String mention) {
    assertThat(answer.code()).as(answer.message()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(answer.message()).contains(mention);
  }
}
