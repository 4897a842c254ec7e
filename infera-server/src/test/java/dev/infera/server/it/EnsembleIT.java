package dev.infera.server.it;

import static dev.infera.server.it.LifecycleServers.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.server.InferaServer;
import dev.infera.server.grpc.proto.ModelInferRequest;
import dev.infera.server.grpc.proto.ModelInferResponse;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.it.ProtocolClient.Reply;
import dev.infera.spi.Tensor;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Triton ensemble repositories served unchanged (it/ensembles beside examples/models), over REST
 * and gRPC against the real server and backends: outputs equal the steps run by hand bit for bit;
 * an ensemble answers metadata, configuration, readiness and statistics like a model; a cascade
 * sends only its uncertain rows on; fallbacks, hard and soft steps when a step model is unloaded;
 * unload_dependents; load errors naming the step and tensor.
 */
class EnsembleIT {
  private static final List<String> ENSEMBLES =
      List.of(
          "chain",
          "fan",
          "fraud_cascade",
          "guarded",
          "hard",
          "soft",
          "routed",
          "bad_types",
          "bad_cycle");
  private static InferaServer server;
  private static RestClient rest;
  private static GrpcClient grpc;
  private static RestExtensionClient stats;

  @BeforeAll
  static void start() throws IOException {
    Path repo = Files.createTempDirectory("infera-ensembles");
    TestRepository.copyInto(TestRepository.examples(), repo);
    LifecycleServers.simpleCopy(repo, "simple_b", "");
    LifecycleServers.simpleCopy(repo, "simple_c", "");
    TestRepository.copyInto(TestRepository.resource("it/ensembles"), repo);
    for (String ensemble : ENSEMBLES) {
      Files.createDirectories(repo.resolve(ensemble).resolve("1")); // Triton's empty version
    }
    // Loading an ensemble loads the models its steps call first.
    server =
        LifecycleServers.start(
            repo,
            ControlOptions.explicit(
                List.of("chain", "fan", "fraud_cascade", "guarded", "hard", "soft", "routed")));
    rest = new RestClient(server.httpPort(), true);
    grpc = new GrpcClient(server.grpcPort(), false);
    stats = new RestExtensionClient(server.httpPort());
  }

  @AfterAll
  static void stop() {
    grpc.close();
    server.close();
  }

  private static List<ProtocolClient> clients() {
    return List.of(rest, grpc);
  }

  private static List<Tensor> inputs(String first, String second, int rows, long seed) {
    Random random = new Random(seed);
    int[] a = new int[rows * 16];
    int[] b = new int[rows * 16];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextInt(2001) - 1000;
      b[i] = random.nextInt(2001) - 1000;
    }
    long[] shape = {rows, 16};
    return List.of(TestTensors.int32(first, shape, a), TestTensors.int32(second, shape, b));
  }

  private static Reply infer(ProtocolClient client, String model, List<Tensor> inputs) {
    Reply reply = client.infer(Call.of(model, inputs));
    assertThat(reply.outcome()).as("%s: %s", model, reply.message()).isEqualTo(Outcome.OK);
    return reply;
  }

  /** Runs simple by hand: OUTPUT0 = a + b, OUTPUT1 = a - b. */
  private static Reply simple(ProtocolClient client, Tensor a, Tensor b) {
    return infer(client, "simple", List.of(a.withName("INPUT0"), b.withName("INPUT1")));
  }

  private static void assertSameBits(Tensor actual, Tensor expected) {
    assertThat(actual.dataType()).isEqualTo(expected.dataType());
    assertThat(actual.shape()).isEqualTo(expected.shape());
    assertThat(actual.data()).as(actual.name()).isEqualTo(expected.data());
  }

  @Test
  void aChainEqualsItsStepsRunByHand() {
    for (ProtocolClient client : clients()) {
      List<Tensor> in = inputs("IN0", "IN1", 3, 1);
      Reply chain = infer(client, "chain", in);
      Reply first = simple(client, in.get(0), in.get(1));
      Reply second = simple(client, first.output("OUTPUT0"), first.output("OUTPUT1"));
      assertThat(chain.modelName()).isEqualTo("chain");
      assertSameBits(chain.output("OUT0"), second.output("OUTPUT0"));
      assertSameBits(chain.output("OUT1"), second.output("OUTPUT1"));
    }
  }

  @Test
  void aFanOutAndFanInEqualsItsStepsRunByHand() {
    for (ProtocolClient client : clients()) {
      List<Tensor> in = inputs("IN0", "IN1", 2, 2);
      Reply fan = infer(client, "fan", in);
      Reply left = simple(client, in.get(0), in.get(1));
      Reply right = simple(client, in.get(1), in.get(0));
      Reply join = simple(client, left.output("OUTPUT0"), right.output("OUTPUT1"));
      assertSameBits(fan.output("OUT0"), join.output("OUTPUT0"));
      assertSameBits(fan.output("OUT1"), join.output("OUTPUT1"));
      assertSameBits(fan.output("LEFT_DIFF"), left.output("OUTPUT1"));
    }
  }

  @Test
  void anEnsembleAnswersMetadataConfigReadinessAndStatisticsLikeAModel() {
    for (ProtocolClient client : clients()) {
      ProtocolClient.Metadata metadata = client.metadata("chain", null);
      assertThat(metadata.platform()).isEqualTo("ensemble");
      assertThat(metadata.versions()).containsExactly("1");
      assertThat(metadata.inputs()).containsExactly("IN0:INT32:[-1, 16]", "IN1:INT32:[-1, 16]");
      assertThat(metadata.outputs()).containsExactly("OUT0:INT32:[-1, 16]", "OUT1:INT32:[-1, 16]");
      assertThat(client.modelReady("chain", null)).isEqualTo(Outcome.OK);
    }
    assertThat(stats.config("chain", null).value().platform()).isEqualTo("ensemble");
    infer(rest, "chain", inputs("IN0", "IN1", 2, 3));
    var chain = stats.statistics("chain", null).value().get(0);
    assertThat(chain.inferenceCount()).isGreaterThanOrEqualTo(2);
    assertThat(chain.inferenceStats().get("success")[0]).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aCascadeSendsOnlyTheUncertainRowsToTheSecondModel() {
    int rows = 64;
    Random random = new Random(7);
    float[] features = new float[rows * 64];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) random.nextGaussian();
    }
    Tensor input = TestTensors.fp32("features", new long[] {rows, 64}, features);
    Reply tree = infer(rest, "xgb_tabular", List.of(input));
    double[] first = TestTensors.numbers(tree.output("probabilities"));
    List<Integer> uncertain = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      if (Math.max(first[2 * r], first[2 * r + 1]) < 0.9) {
        uncertain.add(r);
      }
    }
    assertThat(uncertain)
        .as("the sample needs both kinds of rows")
        .isNotEmpty()
        .hasSizeLessThan(rows);
    float[] picked = new float[uncertain.size() * 64];
    for (int i = 0; i < uncertain.size(); i++) {
      System.arraycopy(features, uncertain.get(i) * 64, picked, i * 64, 64);
    }
    Reply mlp =
        infer(
            rest,
            "tabular_mlp",
            List.of(TestTensors.fp32("features", new long[] {uncertain.size(), 64}, picked)));
    double[] second = TestTensors.numbers(mlp.output("probabilities"));

    long mlpRowsBefore = stats.statistics("tabular_mlp", null).value().get(0).inferenceCount();
    JsonNode answer = jsonInfer("fraud_cascade", input);
    long mlpRowsAfter = stats.statistics("tabular_mlp", null).value().get(0).inferenceCount();

    assertThat(mlpRowsAfter - mlpRowsBefore).isEqualTo(uncertain.size());
    assertThat(answer.at("/parameters/pipeline_cascade_escalated_rows").asLong())
        .isEqualTo(uncertain.size());
    JsonNode merged = output(answer, "probabilities").get("data");
    for (int r = 0, u = 0; r < rows; r++) {
      boolean escalated = u < uncertain.size() && uncertain.get(u) == r;
      for (int c = 0; c < 2; c++) {
        float want = (float) (escalated ? second[2 * u + c] : first[2 * r + c]);
        assertThat(merged.get(2 * r + c).floatValue()).as("row %d", r).isEqualTo(want);
      }
      u += escalated ? 1 : 0;
    }
    String metrics = LifecycleServers.scrape(server);
    String labels = "model=\"fraud_cascade\",step=\"2\",step_model=\"tabular_mlp\",version=\"1\"";
    assertThat(
            LifecycleServers.value(
                metrics, "infera_pipeline_answers_total{answered_by=\"model\"," + labels + "}"))
        .isEqualTo(uncertain.size());
    assertThat(
            LifecycleServers.value(
                metrics,
                "infera_pipeline_answers_total{answered_by=\"cascade_kept\"," + labels + "}"))
        .isEqualTo(rows - uncertain.size());
    assertThat(
            LifecycleServers.value(
                metrics,
                "infera_pipeline_step_duration_seconds_count{model=\"fraud_cascade\","
                    + "outcome=\"success\",step=\"1\",step_model=\"xgb_tabular\",version=\"1\"}"))
        .isEqualTo(1);
  }

  @Test
  void aRouterAndAConditionPickModelsByTensorValues() {
    List<Tensor> in = new ArrayList<>(inputs("IN0", "IN1", 3, 5));
    in.add(TestTensors.int32("KEY", new long[] {3, 1}, 1, 0, 1));
    long routedBefore = stats.statistics("simple_b", null).value().get(0).inferenceCount();
    JsonNode mixed = jsonInfer("routed", in.toArray(Tensor[]::new));
    long routedAfter = stats.statistics("simple_b", null).value().get(0).inferenceCount();
    assertThat(routedAfter - routedBefore).isEqualTo(2);
    assertThat(mixed.at("/parameters/pipeline_routes").asText())
        .isEqualTo("step 1 (model 'simple'): model 'simple_b' 2 rows, model 'simple' 1 rows");
    Reply byHand = simple(rest, in.get(0), in.get(1));
    assertThat(numbers(output(mixed, "OUT0")))
        .containsExactly(TestTensors.numbers(byHand.output("OUTPUT0")));
    assertThat(numbers(output(mixed, "GATED"))).containsOnly(0.0);
    assertThat(mixed.at("/parameters/pipeline_skipped_steps").asText())
        .isEqualTo("step 2 (model 'simple_c'): condition 'KEY==7' does not hold");

    in.set(2, TestTensors.int32("KEY", new long[] {3, 1}, 7, 7, 7));
    JsonNode gated = jsonInfer("routed", in.toArray(Tensor[]::new));
    assertThat(numbers(output(gated, "GATED")))
        .containsExactly(TestTensors.numbers(byHand.output("OUTPUT1")));
    assertThat(gated.has("parameters") && gated.get("parameters").has("pipeline_skipped_steps"))
        .isFalse();
  }

  @Test
  void fallbacksHardAndSoftStepsWhenAStepModelIsUnloaded() {
    List<Tensor> in = inputs("IN0", "IN1", 2, 4);
    try {
      unload("simple_b", false);
      unload("simple_c", false);

      JsonNode guarded = jsonInfer("guarded", in.toArray(Tensor[]::new));
      assertThat(guarded.at("/parameters/pipeline_degraded").asBoolean()).isTrue();
      assertThat(guarded.at("/parameters/pipeline_fallbacks").asText())
          .startsWith("step 1 (model 'simple_b') answered by model 'simple':");
      Reply byHand = simple(rest, in.get(0), in.get(1));
      assertThat(numbers(output(guarded, "OUT0")))
          .containsExactly(TestTensors.numbers(byHand.output("OUTPUT0")));

      Reply hard = rest.infer(Call.of("hard", in));
      assertThat(hard.outcome()).isEqualTo(Outcome.UNAVAILABLE);
      assertThat(hard.message())
          .startsWith("ensemble 'hard' step 2 (model 'simple_c') failed: ")
          .contains("simple_c");
      Reply hardGrpc = grpc.infer(Call.of("hard", in));
      assertThat(hardGrpc.outcome()).isEqualTo(Outcome.UNAVAILABLE);
      assertThat(hardGrpc.message()).contains("step 2 (model 'simple_c')");

      JsonNode soft = jsonInfer("soft", in.toArray(Tensor[]::new));
      List<String> names = new ArrayList<>();
      soft.get("outputs").forEach(o -> names.add(o.get("name").asText()));
      assertThat(names).containsExactly("OUT0");
      assertThat(soft.at("/parameters/pipeline_soft_failures").asText())
          .startsWith("step 2 (model 'simple_c'): ");
      ModelInferResponse softGrpc = grpcInfer("soft", in);
      assertThat(softGrpc.getParametersMap().get("pipeline_soft_failures").getStringParam())
          .startsWith("step 2 (model 'simple_c'): ");

      // ready only when every step model is
      assertThat(rest.modelReady("hard", null)).isNotEqualTo(Outcome.OK);
      assertThat(grpc.modelReady("soft", null)).isNotEqualTo(Outcome.OK);
      assertThat(rest.modelReady("chain", null)).isEqualTo(Outcome.OK);

      // unload_dependents takes the ensembles calling the model out too
      load("simple_c");
      unload("simple_c", true);
      assertThat(rest.infer(Call.of("hard", in)).outcome()).isEqualTo(Outcome.NOT_FOUND);
      assertThat(rest.infer(Call.of("soft", in)).outcome()).isEqualTo(Outcome.NOT_FOUND);
      assertThat(rest.modelReady("routed", null)).isEqualTo(Outcome.NOT_FOUND);
      assertThat(rest.modelReady("guarded", null)).isNotEqualTo(Outcome.OK);
    } finally {
      load("hard"); // loads simple_c again
      load("soft");
      load("routed"); // calls simple_c too
      load("simple_b");
    }
    assertThat(rest.modelReady("hard", null)).isEqualTo(Outcome.OK);
    assertThat(rest.modelReady("guarded", null)).isEqualTo(Outcome.OK);
    assertThat(infer(grpc, "soft", in).outputs()).hasSize(3);
  }

  @Test
  void badEnsemblesFailToLoadNamingTheStepAndTensor() {
    HttpResponse<byte[]> types = post(rest, "/v2/repository/models/bad_types/load", "");
    assertThat(types.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(types.body()))
        .contains(
            "step 1 (model 'simple') input 'INPUT0' reads tensor 'IN0' as INT32, but ensemble"
                + " input 'IN0' writes it as FP32");
    HttpResponse<byte[]> cycle = post(rest, "/v2/repository/models/bad_cycle/load", "");
    assertThat(cycle.statusCode()).isEqualTo(400);
    assertThat(RestClient.errorMessage(cycle.body()))
        .contains("step 1 (model 'simple'): is part of a cycle: its tensor 'a' feeds step 2")
        .contains("step 2 (model 'simple'): is part of a cycle: its tensor 'b' feeds step 1")
        .doesNotContain("Exception");
  }

  private static void unload(String model, boolean dependents) {
    HttpResponse<byte[]> response =
        post(
            rest,
            "/v2/repository/models/" + model + "/unload",
            dependents ? "{\"parameters\": {\"unload_dependents\": true}}" : "");
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
  }

  private static void load(String model) {
    HttpResponse<byte[]> response = post(rest, "/v2/repository/models/" + model + "/load", "");
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
  }

  /** A REST JSON inference whose whole response body (parameters included) the test reads. */
  private static JsonNode jsonInfer(String model, Tensor... inputs) {
    StringBuilder body = new StringBuilder("{\"inputs\": [");
    for (int i = 0; i < inputs.length; i++) {
      Tensor tensor = inputs[i];
      body.append(i == 0 ? "" : ",")
          .append("{\"name\": \"")
          .append(tensor.name())
          .append("\", \"datatype\": \"")
          .append(tensor.dataType().protocolName())
          .append("\", \"shape\": ")
          .append(java.util.Arrays.toString(tensor.shape()))
          .append(", \"data\": ")
          .append(
              tensor.dataType() == dev.infera.spi.DataType.FP32
                  ? java.util.Arrays.toString(TestTensors.numbers(tensor))
                  : java.util.Arrays.toString(
                      java.util.Arrays.stream(TestTensors.numbers(tensor))
                          .mapToLong(v -> (long) v)
                          .toArray()))
          .append("}");
    }
    body.append("]}");
    HttpResponse<byte[]> response =
        rest.post(
            "/v2/models/" + model + "/infer",
            body.toString().getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json"));
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    return RestClient.readJson(response.body());
  }

  private static ModelInferResponse grpcInfer(String model, List<Tensor> inputs) {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
    for (Tensor tensor : inputs) {
      var input = request.addInputsBuilder().setName(tensor.name()).setDatatype("INT32");
      for (long dim : tensor.shape()) {
        input.addShape(dim);
      }
      for (double value : TestTensors.numbers(tensor)) {
        input.getContentsBuilder().addIntContents((int) value);
      }
    }
    try {
      return grpc.stub().modelInfer(request.build());
    } catch (StatusRuntimeException e) {
      throw new AssertionError(e.getStatus().toString(), e);
    }
  }

  private static JsonNode output(JsonNode response, String name) {
    for (JsonNode output : response.get("outputs")) {
      if (output.get("name").asText().equals(name)) {
        return output;
      }
    }
    throw new AssertionError("no output '" + name + "' in " + response);
  }

  private static double[] numbers(JsonNode output) {
    double[] values = new double[output.get("data").size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = output.get("data").get(i).asDouble();
    }
    return values;
  }
}
