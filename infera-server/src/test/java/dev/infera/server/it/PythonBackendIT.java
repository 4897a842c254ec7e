package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.server.InferaServer;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.it.ProtocolClient.Reply;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Python backend with real Python workers (the interpreter in {@code INFERA_PYTHON}, which the
 * build points at the system's Python with NumPy): Triton's model.py contract behind the server's
 * batching, BYTES tensors, error rules, a worker killed under load, a hang cut off, unload leaving
 * no process, and broken model.py files failing their load with the file and line named.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PythonBackendIT {
  private static final List<String> LOADED =
      List.of(
          "batch_probe",
          "crash_probe",
          "unload_probe",
          "echo_bytes",
          "fails",
          "hangs",
          "syntax_error",
          "missing_package",
          "wrong_output",
          "no_model_file");

  private InferaServer server;
  private RestClient rest;
  private GrpcClient grpc;
  private ExecutorService callers;

  @BeforeAll
  void start() throws IOException {
    Path repo = Files.createTempDirectory("infera-python-it");
    TestRepository.copyInto(TestRepository.resource("it/python"), repo);
    for (String copy : List.of("crash_probe", "unload_probe")) {
      TestRepository.copyInto(repo.resolve("batch_probe"), repo.resolve(copy));
      Path config = repo.resolve(copy).resolve("config.pbtxt");
      Files.writeString(
          config, Files.readString(config).replace("\"batch_probe\"", "\"" + copy + "\""));
    }
    server = LifecycleServers.start(repo, ControlOptions.explicit(LOADED));
    rest = new RestClient(server.httpPort(), false);
    grpc = new GrpcClient(server.grpcPort(), false);
    callers = Executors.newFixedThreadPool(16);
  }

  @AfterAll
  void stop() {
    callers.shutdownNow();
    grpc.close();
    server.close();
    assertThat(workers("")).as("Python workers after the server closed").isEmpty();
  }

  private static Tensor row(float value) {
    return TestTensors.fp32("INPUT0", new long[] {1, 4}, value, value + 1, value + 2, value + 3);
  }

  private static Tensor scalar(float value) {
    return TestTensors.fp32("INPUT0", new long[] {1, 1}, value);
  }

  @Test
  void concurrentCallersShareExecuteCallsAndGetTheirOwnRows() throws Exception {
    int maxRequestsSeen = 0;
    for (int round = 0; round < 20 && maxRequestsSeen < 2; round++) {
      List<Future<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        float value = round * 100 + i;
        replies.add(callers.submit(() -> rest.infer(Call.of("batch_probe", List.of(row(value))))));
      }
      for (int i = 0; i < 16; i++) {
        Reply reply = replies.get(i).get(60, TimeUnit.SECONDS);
        assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
        float value = round * 100 + i;
        assertThat(TestTensors.numbers(reply.output("OUTPUT0")))
            .containsExactly(2 * value, 2 * value + 2, 2 * value + 4, 2 * value + 6);
        int requests = (int) TestTensors.numbers(reply.output("REQUESTS"))[0];
        maxRequestsSeen = Math.max(maxRequestsSeen, requests);
      }
    }
    assertThat(maxRequestsSeen).as("requests in one execute call").isGreaterThan(1);
  }

  @Test
  void bytesTensorsRoundTrip() {
    List<byte[]> text =
        List.of(
            "abc".getBytes(StandardCharsets.UTF_8),
            new byte[0],
            "mixed Case 42".getBytes(StandardCharsets.UTF_8),
            new byte[] {0, (byte) 0xff, 'x'});
    Tensor input = Tensor.ofBytes("TEXT", new long[] {1, 4}, text);

    Reply reply = grpc.infer(Call.of("echo_bytes", List.of(input)));

    assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
    List<byte[]> upper = reply.output("UPPER").elements();
    assertThat(reply.output("UPPER").shape()).containsExactly(1, 4);
    assertThat(upper.get(0)).isEqualTo("ABC".getBytes(StandardCharsets.UTF_8));
    assertThat(upper.get(1)).isEmpty();
    assertThat(upper.get(2)).isEqualTo("MIXED CASE 42".getBytes(StandardCharsets.UTF_8));
    assertThat(upper.get(3)).isEqualTo(new byte[] {0, (byte) 0xff, 'X'});
  }

  @Test
  void anExceptionInExecuteIsAServerErrorWithItsTextAndLine() {
    Reply reply = rest.infer(Call.of("fails", List.of(scalar(0))));

    assertThat(reply.outcome()).isEqualTo(Outcome.INTERNAL);
    assertThat(reply.message())
        .contains("fails")
        .contains("zero is not a valid reading")
        .contains("1/model.py line 14");
    assertThat(rest.infer(Call.of("fails", List.of(scalar(3)))).outcome()).isEqualTo(Outcome.OK);
    assertThat(rest.serverLive()).isTrue();
  }

  @Test
  void aTritonErrorWithInvalidArgIsTheCallersFault() {
    Reply overRest = rest.infer(Call.of("fails", List.of(scalar(-1))));
    Reply overGrpc = grpc.infer(Call.of("fails", List.of(scalar(-1))));

    assertThat(overRest.outcome()).isEqualTo(Outcome.INVALID_ARGUMENT);
    assertThat(overRest.message()).contains("negative values are not accepted");
    assertThat(overGrpc.outcome()).isEqualTo(Outcome.INVALID_ARGUMENT);
    assertThat(rest.modelReady("fails", null)).isEqualTo(Outcome.OK);
  }

  @Test
  void anExecuteThatNeverReturnsIsCutOffAndTheWorkerReplaced() {
    Reply hung = rest.infer(Call.of("hangs", List.of(scalar(-1))));

    assertThat(hung.outcome()).isEqualTo(Outcome.DEADLINE_EXCEEDED);
    assertThat(hung.message()).contains("hangs").contains("3 s");
    Reply after = rest.infer(Call.of("hangs", List.of(scalar(5))));
    assertThat(after.outcome()).as(after.message()).isEqualTo(Outcome.OK);
    assertThat(rest.modelReady("hangs", null)).isEqualTo(Outcome.OK);
  }

  @Test
  void aWorkerKilledUnderLoadIsRestartedAndLaterRequestsSucceed() throws Exception {
    List<ProcessHandle> before = workers("python-crash_probe-1-");
    assertThat(before).hasSize(1);
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Reply> failures = new ConcurrentLinkedQueue<>();
    List<Future<Integer>> load = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      load.add(
          callers.submit(
              () -> {
                int ok = 0;
                while (running.get()) {
                  Reply reply = rest.infer(Call.of("crash_probe", List.of(row(1))));
                  if (reply.outcome() == Outcome.OK) {
                    ok++;
                  } else {
                    failures.add(reply);
                  }
                }
                return ok;
              }));
    }
    while (rest.infer(Call.of("crash_probe", List.of(row(1)))).outcome() != Outcome.OK) {
      Thread.onSpinWait(); // the load is running once one call succeeds beside it
    }
    before.get(0).destroyForcibly();
    before.get(0).onExit().get(30, TimeUnit.SECONDS);
    Reply afterKill = untilOk(() -> rest.infer(Call.of("crash_probe", List.of(row(7)))));
    running.set(false);
    for (Future<Integer> caller : load) {
      caller.get(120, TimeUnit.SECONDS);
    }

    assertThat(TestTensors.numbers(afterKill.output("OUTPUT0"))).containsExactly(14, 16, 18, 20);
    for (Reply failure : failures) {
      assertThat(failure.outcome()).isEqualTo(Outcome.UNAVAILABLE);
      assertThat(failure.message()).contains("crash_probe");
    }
    List<ProcessHandle> after = workers("python-crash_probe-1-");
    assertThat(after).hasSize(1);
    assertThat(after.get(0).pid()).isNotEqualTo(before.get(0).pid());
    assertThat(rest.modelReady("crash_probe", null)).isEqualTo(Outcome.OK);
    String metrics = LifecycleServers.scrape(server);
    assertThat(
            LifecycleServers.value(
                metrics,
                "infera_python_worker_restarts_total{model=\"crash_probe\",version=\"1\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void unloadStopsTheWorkers() throws Exception {
    List<ProcessHandle> running = workers("python-unload_probe-1-");
    assertThat(running).hasSize(1);

    var response = LifecycleServers.post(rest, "/v2/repository/models/unload_probe/unload", "");

    assertThat(response.statusCode()).isEqualTo(200);
    running.get(0).onExit().get(60, TimeUnit.SECONDS);
    assertThat(workers("python-unload_probe-1-")).isEmpty();
  }

  @Test
  void aSyntaxErrorFailsTheLoadNamingFileAndLine() {
    assertLoadFailed("syntax_error", "1/model.py line 5", "syntax error");
  }

  @Test
  void aMissingPackageFailsTheLoadNamingIt() {
    assertLoadFailed("missing_package", "infera_no_such_package", "1/model.py line 2");
  }

  @Test
  void aMissingModelFileFailsTheLoadNamingIt() {
    assertLoadFailed("no_model_file", "model.py", "TritonPythonModel");
  }

  @Test
  void aWrongOutputTypeOrShapeFailsTheRequestNamingTheTensor() {
    Reply wrongType = rest.infer(Call.of("wrong_output", List.of(scalar(2))));
    Reply wrongShape = rest.infer(Call.of("wrong_output", List.of(scalar(-2))));

    assertThat(wrongType.outcome()).isEqualTo(Outcome.INTERNAL);
    assertThat(wrongType.message()).contains("OUTPUT0").contains("FP64").contains("FP32");
    assertThat(wrongShape.outcome()).isEqualTo(Outcome.INTERNAL);
    assertThat(wrongShape.message()).contains("OUTPUT0").contains("[1, 3]").contains("[1, 1]");
    assertThat(rest.serverLive()).isTrue();
  }

  private void assertLoadFailed(String model, String... mentions) {
    ProtocolClient.Metadata metadata = rest.metadata(model, null);
    assertThat(metadata.outcome()).isEqualTo(Outcome.UNAVAILABLE);
    assertThat(metadata.message()).contains(model);
    for (String mention : mentions) {
      assertThat(metadata.message()).contains(mention);
    }
    assertThat(workers("python-" + model + "-")).isEmpty();
    assertThat(rest.serverLive()).isTrue();
  }

  private static Reply untilOk(java.util.function.Supplier<Reply> call) {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    Reply reply = call.get();
    while (reply.outcome() != Outcome.OK && System.nanoTime() < deadline) {
      reply = call.get();
    }
    assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
    return reply;
  }

  /** This JVM's live Python workers whose shared-memory file name starts with the label. */
  static List<ProcessHandle> workers(String label) {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info()
                    .arguments()
                    .map(
                        args ->
                            args.length >= 2
                                && args[args.length - 2].endsWith("infera_python_worker.py")
                                && Path.of(args[args.length - 1])
                                    .getFileName()
                                    .toString()
                                    .startsWith("infera-" + label))
                    .orElse(false))
        .toList();
  }
}
