package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.server.InferaServer;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.it.ProtocolClient.Metadata;
import dev.infera.server.it.ProtocolClient.Reply;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The KServe v2 protocol suite, run against a real server (real ONNX Runtime underneath) by each
 * transport: REST JSON, REST binary, gRPC typed contents, gRPC raw contents. Every case asserts the
 * outcome; bad input must leave the server ready.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProtocolSuite {
  protected InferaServer server;
  protected ProtocolClient client;

  /** The transport under test, connected to the shared server. */
  protected abstract ProtocolClient connect(InferaServer server);

  @BeforeAll
  void start() {
    server = SharedServer.get();
    client = connect(server);
  }

  @AfterAll
  void closeClient() {
    client.close();
  }

  @AfterEach
  void serverStaysReady() {
    assertThat(client.serverLive()).isTrue();
    assertThat(client.serverReady()).as("server ready after the test").isTrue();
  }

  static Stream<Arguments> referenceCases() {
    List<Arguments> cases = new ArrayList<>();
    for (String model : List.of("simple", "tabular_mlp", "string_identity", "fixed_shape")) {
      Samples samples = Samples.of(model);
      samples.cases().forEach(c -> cases.add(Arguments.of(model, c.name(), samples, c)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("referenceCases")
  void reproducesReferenceSamples(String model, String name, Samples samples, Samples.Case sample) {
    Reply reply = client.infer(Call.of(model, sample.inputs()).withId(sample.id()));

    assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
    assertThat(reply.modelName()).isEqualTo(model);
    assertThat(reply.modelVersion()).isEqualTo("1");
    assertThat(reply.id()).isEqualTo(sample.id());
    assertThat(reply.outputs()).hasSameSizeAs(sample.expected());
    for (Tensor expected : sample.expected()) {
      TestTensors.assertMatches(
          reply.output(expected.name()), expected, samples.atol(), samples.rtol());
    }
  }

  static Stream<Arguments> xgboostCases() {
    Samples samples = Samples.of("xgb_tabular");
    return samples.cases().stream().map(c -> Arguments.of(c.name(), c));
  }

  /**
   * The XGBoost model's reference samples, bit for bit. Its margin is one value per row, which
   * Triton's configuration declares as dims [1] (reshaped to the model's scalar per row), so the
   * client sees [batch, 1] where the reference file says [batch]; the values are compared exactly.
   */
  @ParameterizedTest(name = "xgb_tabular {0}")
  @MethodSource("xgboostCases")
  void xgboostReproducesReferenceSamplesExactly(String name, Samples.Case sample) {
    Reply reply = client.infer(Call.of("xgb_tabular", sample.inputs()).withId(sample.id()));

    assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
    assertThat(reply.id()).isEqualTo(sample.id());
    for (Tensor expected : sample.expected()) {
      Tensor want =
          expected.rank() == 1 ? expected.withShape(new long[] {expected.dim(0), 1}) : expected;
      TestTensors.assertMatches(reply.output(expected.name()), want, 0, 0);
    }
  }

  @Test
  void xgboostFeatureCountIsChecked() {
    Tensor features = TestTensors.fp32("features", new long[] {1, 63}, new float[63]);

    assertInvalid(Call.of("xgb_tabular", List.of(features)), "features", "64");
  }

  @Test
  void modelWithoutConfigIsCompletedFromTheOnnxFile() {
    Samples.Case sample = Samples.of("simple").cases().get(1);

    Reply reply = client.infer(Call.of("simple_autoconfig", sample.inputs()));
    Metadata metadata = client.metadata("simple_autoconfig", null);

    assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
    TestTensors.assertMatches(reply.output("OUTPUT0"), sample.expected().get(0), 0, 0);
    assertThat(metadata.inputs()).containsExactly("INPUT0:INT32:[-1, 16]", "INPUT1:INT32:[-1, 16]");
    assertThat(metadata.platform()).isEqualTo("onnxruntime_onnx");
  }

  @Test
  void noIdSentMeansNoIdReturned() {
    Reply reply = client.infer(Call.of("simple", Samples.of("simple").cases().get(0).inputs()));

    assertThat(reply.outcome()).isEqualTo(Outcome.OK);
    assertThat(reply.id()).isNull();
  }

  @Test
  void versionedCallReachesThatVersion() {
    Reply reply =
        client.infer(
            Call.of("simple", Samples.of("simple").cases().get(0).inputs()).withVersion("1"));

    assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
    assertThat(reply.modelVersion()).isEqualTo("1");
  }

  @Test
  void unknownVersionIsNotFound() {
    Reply reply =
        client.infer(
            Call.of("simple", Samples.of("simple").cases().get(0).inputs()).withVersion("7"));

    assertThat(reply.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(reply.message()).contains("simple").contains("7");
  }

  @Test
  void requestedOutputsSelectASubset() {
    Samples.Case sample = Samples.of("simple").cases().get(0);

    Reply reply = client.infer(Call.of("simple", sample.inputs()).withOutputs(List.of("OUTPUT1")));

    assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
    assertThat(reply.outputs()).extracting(Tensor::name).containsExactly("OUTPUT1");
    TestTensors.assertMatches(reply.output("OUTPUT1"), sample.expected().get(1), 0, 0);
  }

  @Test
  void metadataDescribesTheModel() {
    Metadata simple = client.metadata("simple", null);
    Metadata fixed = client.metadata("fixed_shape", null);

    assertThat(simple.outcome()).isEqualTo(Outcome.OK);
    assertThat(simple.name()).isEqualTo("simple");
    assertThat(simple.versions()).containsExactly("1");
    assertThat(simple.platform()).isEqualTo("onnxruntime_onnx");
    assertThat(simple.inputs()).containsExactly("INPUT0:INT32:[-1, 16]", "INPUT1:INT32:[-1, 16]");
    assertThat(simple.outputs())
        .containsExactly("OUTPUT0:INT32:[-1, 16]", "OUTPUT1:INT32:[-1, 16]");
    assertThat(fixed.inputs()).containsExactly("x:FP32:[4, 4]");
  }

  @Test
  void readinessOfModels() {
    assertThat(client.modelReady("simple", null)).isEqualTo(Outcome.OK);
    assertThat(client.modelReady("simple", "1")).isEqualTo(Outcome.OK);
    assertThat(client.modelReady("no_such_model", null)).isNotEqualTo(Outcome.OK);
    assertThat(client.metadata("no_such_model", null).outcome()).isEqualTo(Outcome.NOT_FOUND);
  }

  // ---- bad input: 400 / INVALID_ARGUMENT naming the tensor, 404 / NOT_FOUND for unknown models

  private static List<Tensor> simpleInputs(int rows) {
    int[] values = IntStream.range(0, rows * 16).toArray();
    return List.of(
        TestTensors.int32("INPUT0", new long[] {rows, 16}, values),
        TestTensors.int32("INPUT1", new long[] {rows, 16}, values));
  }

  private void assertInvalid(Call call, String... mentions) {
    Reply reply = client.infer(call);
    assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.INVALID_ARGUMENT);
    assertThat(reply.message()).contains(mentions);
  }

  @Test
  void unknownInputIsRejected() {
    List<Tensor> inputs = new ArrayList<>(simpleInputs(1));
    inputs.add(TestTensors.int32("INPUT9", new long[] {1, 16}, new int[16]));

    assertInvalid(Call.of("simple", inputs), "INPUT9", "INPUT0");
  }

  @Test
  void missingInputIsRejected() {
    assertInvalid(Call.of("simple", simpleInputs(1).subList(0, 1)), "INPUT1");
  }

  @Test
  void wrongDatatypeIsRejected() {
    List<Tensor> inputs =
        List.of(
            simpleInputs(1).get(0), TestTensors.fp32("INPUT1", new long[] {1, 16}, new float[16]));

    assertInvalid(Call.of("simple", inputs), "INPUT1", "FP32", "INT32");
  }

  @Test
  void wrongRankIsRejected() {
    List<Tensor> inputs =
        List.of(
            TestTensors.int32("INPUT0", new long[] {16}, new int[16]),
            TestTensors.int32("INPUT1", new long[] {16}, new int[16]));

    assertInvalid(Call.of("simple", inputs), "INPUT0", "[-1, 16]");
  }

  @Test
  void wrongDimsAreRejected() {
    List<Tensor> inputs =
        List.of(
            TestTensors.int32("INPUT0", new long[] {1, 15}, new int[15]),
            TestTensors.int32("INPUT1", new long[] {1, 15}, new int[15]));

    assertInvalid(Call.of("simple", inputs), "INPUT0", "[1, 15]", "[-1, 16]");
  }

  @Test
  void batchOverMaxBatchSizeIsRejected() {
    assertInvalid(Call.of("simple", simpleInputs(9)), "batch size 9", "max_batch_size 8");
  }

  @Test
  void batchDimensionToNonBatchableModelIsRejected() {
    Tensor batched = TestTensors.fp32("x", new long[] {1, 4, 4}, new float[16]);

    assertInvalid(Call.of("fixed_shape", List.of(batched)), "'x'", "[4, 4]", "batching");
  }

  @Test
  void unknownRequestedOutputIsRejected() {
    assertInvalid(
        Call.of("simple", simpleInputs(1)).withOutputs(List.of("OUTPUT7")), "OUTPUT7", "OUTPUT0");
  }

  @Test
  void unknownModelIsNotFound() {
    Reply reply = client.infer(Call.of("no_such_model", simpleInputs(1)));

    assertThat(reply.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(reply.message()).contains("no_such_model");
  }

  @Test
  void badTimeoutParameterIsRejected() {
    Call call =
        new Call("simple", null, null, simpleInputs(1), List.of(), Map.of("timeout", "soon"));

    assertInvalid(call, "timeout");
  }

  /**
   * 64 concurrent callers with distinct inputs, on a model with dynamic batching: each gets exactly
   * its own outputs, and the server merged requests (fewer executions than inferences).
   */
  @Test
  void concurrentCallersEachGetTheirOwnOutputsWithBatching() throws Exception {
    String labels = "{model=\"simple_batched\",version=\"1\"}";
    String before = Metrics.scrape(server.metricsPort());
    ExecutorService callers = Executors.newFixedThreadPool(64);
    try {
      List<CompletableFuture<Void>> calls = new ArrayList<>();
      for (int caller = 0; caller < 64; caller++) {
        int seed = caller;
        calls.add(CompletableFuture.runAsync(() -> checkOwnAnswer(seed), callers));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    } finally {
      callers.shutdownNow();
    }
    String after = Metrics.scrape(server.metricsPort());

    double executions =
        Metrics.value(after, "infera_inference_exec_count_total" + labels)
            - Metrics.value(before, "infera_inference_exec_count_total" + labels);
    double requests =
        Metrics.value(after, "infera_inference_request_success_total" + labels)
            - Metrics.value(before, "infera_inference_request_success_total" + labels);
    assertThat(requests).isEqualTo(64);
    assertThat(executions).as("executions for 64 requests").isLessThan(64);
  }

  private void checkOwnAnswer(int seed) {
    int rows = 1 + seed % 3;
    int[] a = IntStream.range(0, rows * 16).map(i -> seed * 1000 + i).toArray();
    int[] b = IntStream.range(0, rows * 16).map(i -> seed).toArray();
    Reply reply =
        client.infer(
            Call.of(
                "simple_batched",
                List.of(
                    TestTensors.int32("INPUT0", new long[] {rows, 16}, a),
                    TestTensors.int32("INPUT1", new long[] {rows, 16}, b))));
    assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
    ByteBuffer sum = reply.output("OUTPUT0").data().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < a.length; i++) {
      assertThat(sum.getInt()).isEqualTo(a[i] + b[i]);
    }
  }
}
