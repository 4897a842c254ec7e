package dev.infera.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.config.ModelConfigParser;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.contract.ModelInterface;
import dev.infera.core.contract.TensorContract;
import dev.infera.core.scheduling.ExecutionResult;
import dev.infera.core.scheduling.ScheduledRequest;
import dev.infera.core.tracing.InferenceSpans;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs pipelines over fake step models (functions of their input 'x' giving output 'y', FP32
 * [-1,2]) answering through a recording invoker: order, parallelism, sharing, error semantics,
 * fallbacks, timeouts, retries, conditions, cascades and routers.
 */
class PipelineSchedulerTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Function<InferenceRequest, CompletableFuture<InferenceResponse>>>
      models = new ConcurrentHashMap<>();
  private final List<InferenceRequest> calls = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final AtomicInteger spansStarted = new AtomicInteger();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(spans))
          .addSpanProcessor(
              new SpanProcessor() {
                @Override
                public void onStart(Context parent, ReadWriteSpan span) {
                  spansStarted.incrementAndGet();
                }

                @Override
                public boolean isStartRequired() {
                  return true;
                }

                @Override
                public void onEnd(ReadableSpan span) {}

                @Override
                public boolean isEndRequired() {
                  return false;
                }
              })
          .build();

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
    provider.close();
  }

  private static final ModelInterface XY =
      new ModelInterface(
          8,
          List.of(new TensorContract("x", DataType.FP32, new long[] {2}, Optional.empty())),
          List.of(new TensorContract("y", DataType.FP32, new long[] {2}, Optional.empty())));

  private static String step(String model, String in, String out) {
    return "step { model_name: \""
        + model
        + "\" model_version: -1 input_map { key: \"x\" value: \""
        + in
        + "\" } output_map { key: \"y\" value: \""
        + out
        + "\" } }\n";
  }

  private static String policy(String step, String text) {
    return "parameters { key: \"infera.step."
        + step
        + "\" value { string_value: \""
        + text
        + "\" } }\n";
  }

  private PipelineScheduler scheduler(String steps, String outputs, String parameters) {
    StringBuilder text =
        new StringBuilder(
            "name: \"ens\" platform: \"ensemble\" max_batch_size: 8\n"
                + "input [ { name: \"IN\" data_type: TYPE_FP32 dims: [ 2 ] } ]\n");
    for (String output : outputs.split(",")) {
      text.append("output [ { name: \"")
          .append(output)
          .append("\" data_type: TYPE_FP32 dims: [ 2 ] } ]\n");
    }
    text.append("ensemble_scheduling { ").append(steps).append(" }\n").append(parameters);
    ModelConfig config = ModelConfigParser.parse(text.toString(), "ens/config.pbtxt");
    Pipeline pipeline = Pipeline.of(config, "ens");
    Map<Integer, ModelInterface> interfaces =
        PipelineCheck.check(pipeline, ModelInterface.of(config), (m, v) -> Optional.of(XY));
    return new PipelineScheduler(
        pipeline,
        interfaces,
        request -> {
          calls.add(request);
          var model = models.get(request.modelName());
          if (model == null) {
            return CompletableFuture.failedFuture(
                new InferenceException(
                    ErrorCode.UNAVAILABLE, "model '" + request.modelName() + "' is not loaded"));
          }
          return model.apply(request);
        },
        timer,
        System::nanoTime,
        new PipelineMeters(registry, "ens", "1"),
        provider.get(InferenceSpans.SCOPE));
  }

  /** A model answering y = x * factor + offset at once. */
  private void affine(String name, float factor, float offset) {
    models.put(
        name,
        request -> CompletableFuture.completedFuture(respond(request, x -> x * factor + offset)));
  }

  private static InferenceResponse respond(InferenceRequest request, Function<Float, Float> f) {
    Tensor x = request.inputs().get(0);
    float[] values = floats(x);
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = f.apply(values[i]);
    }
    return new InferenceResponse(
        request.modelName(), "1", Optional.empty(), List.of(fp32("y", out)), Map.of());
  }

  static Tensor fp32(String name, float... values) {
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      data.putFloat(value);
    }
    return Tensor.of(name, DataType.FP32, new long[] {values.length / 2, 2}, data.flip());
  }

  static float[] floats(Tensor tensor) {
    float[] values = new float[(int) tensor.elementCount()];
    tensor.data().asFloatBuffer().get(values);
    return values;
  }

  private static ScheduledRequest request(List<String> outputs, float... in) {
    return new ScheduledRequest(
        List.of(fp32("IN", in)), outputs, in.length / 2, 0, Optional.empty());
  }

  private static ExecutionResult run(PipelineScheduler scheduler, ScheduledRequest request)
      throws Exception {
    return scheduler.enqueue(request).get(30, TimeUnit.SECONDS);
  }

  @Test
  void aChainPassesTensorsFromStepToStepWithoutCopying() throws Exception {
    Tensor produced = fp32("y", 2, 4, 6, 8);
    models.put(
        "double",
        request ->
            CompletableFuture.completedFuture(
                new InferenceResponse(
                    "double", "1", Optional.empty(), List.of(produced), Map.of())));
    affine("inc", 1, 1);
    ExecutionResult result =
        run(
            scheduler(step("double", "IN", "mid") + step("inc", "mid", "OUT"), "OUT", ""),
            request(List.of("OUT"), 1, 2, 3, 4));
    assertThat(floats(result.outputs().get(0))).containsExactly(3, 5, 7, 9);
    assertThat(result.outputs().get(0).name()).isEqualTo("OUT");
    assertThat(calls).extracting(InferenceRequest::modelName).containsExactly("double", "inc");
    // The second step got the first step's output buffer itself, renamed to its input.
    assertThat(calls.get(1).inputs().get(0).name()).isEqualTo("x");
    assertThat(calls.get(1).inputs().get(0).data().array()).isSameAs(produced.data().array());
    assertThat(calls.get(0).inputs().get(0).name()).isEqualTo("x");
    assertThat(result.parameters()).isEmpty();
  }

  @Test
  void independentStepsRunInParallelWithoutAThreadWaiting() throws Exception {
    CompletableFuture<InferenceResponse> left = new CompletableFuture<>();
    CompletableFuture<InferenceResponse> right = new CompletableFuture<>();
    models.put("left", request -> left);
    models.put("right", request -> right);
    affine("join", 1, 0);
    PipelineScheduler scheduler =
        scheduler(
            step("left", "IN", "a") + step("right", "IN", "B") + step("join", "a", "OUT"),
            "OUT,B",
            "");
    CompletableFuture<ExecutionResult> pending =
        scheduler.enqueue(request(List.of("OUT", "B"), 1, 2));
    // enqueue returned with both independent steps submitted and neither answered
    assertThat(calls).extracting(InferenceRequest::modelName).containsExactly("left", "right");
    assertThat(pending).isNotDone();
    right.complete(
        new InferenceResponse("right", "1", Optional.empty(), List.of(fp32("y", 7, 8)), Map.of()));
    left.complete(
        new InferenceResponse("left", "1", Optional.empty(), List.of(fp32("y", 5, 6)), Map.of()));
    ExecutionResult result = pending.get(30, TimeUnit.SECONDS);
    assertThat(floats(result.outputs().get(0))).containsExactly(5, 6);
    assertThat(floats(result.outputs().get(1))).containsExactly(7, 8);
  }

  private String fanSteps() {
    return step("left", "IN", "a") + step("right", "IN", "B") + step("join", "a", "OUT");
  }

  @Test
  void aFailedHardStepFailsTheRequestNamingTheStep() {
    affine("left", 1, 0);
    affine("join", 1, 0);
    PipelineScheduler scheduler = scheduler(fanSteps(), "OUT,B", "");
    assertThatThrownBy(() -> run(scheduler, request(List.of("OUT", "B"), 1, 2)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(InferenceException.class)
        .hasMessage("ensemble 'ens' step 2 (model 'right') failed: model 'right' is not loaded")
        .satisfies(
            e -> assertThat(((InferenceException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }

  @Test
  void aFailedSoftStepLeavesItsOutputAbsentAndSaysSo() throws Exception {
    affine("left", 1, 0);
    affine("join", 1, 0);
    ExecutionResult result =
        run(
            scheduler(fanSteps(), "OUT,B", policy("right", "soft")),
            request(List.of("OUT", "B"), 1, 2));
    assertThat(result.outputs()).extracting(Tensor::name).containsExactly("OUT");
    assertThat(result.parameters())
        .containsEntry("pipeline_degraded", true)
        .containsEntry(
            "pipeline_soft_failures", "step 2 (model 'right'): model 'right' is not loaded");
  }

  @Test
  void aFallbackModelAnswersForAFailedStepAndTheResponseSaysSo() throws Exception {
    affine("left", 1, 0);
    affine("join", 1, 0);
    affine("backup", 10, 0);
    ExecutionResult result =
        run(
            scheduler(fanSteps(), "OUT,B", policy("right", "fallback_model=backup")),
            request(List.of("OUT", "B"), 1, 2));
    assertThat(floats(result.outputs().get(1))).containsExactly(10, 20);
    assertThat(result.parameters())
        .containsEntry(
            "pipeline_fallbacks",
            "step 2 (model 'right') answered by model 'backup': model 'right' is not loaded");
  }

  @Test
  void aTracedRequestGetsASpanPerStepAndAnUntracedOneBuildsNone() throws Exception {
    affine("left", 1, 0);
    affine("join", 1, 0);
    affine("backup", 10, 0);
    List<SpanContext> stepCalls = new CopyOnWriteArrayList<>();
    PipelineScheduler scheduler =
        scheduler(fanSteps(), "OUT,B", policy("right", "fallback_model=backup"));
    run(scheduler, request(List.of("OUT", "B"), 1, 2));
    assertThat(spansStarted).hasValue(0);
    assertThat(calls).allSatisfy(call -> assertThat(call.options().span()).isEmpty());

    SpanContext parent =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    calls.clear();
    run(
        scheduler,
        new ScheduledRequest(
            List.of(fp32("IN", 1, 2)),
            List.of("OUT", "B"),
            1,
            0,
            Optional.empty(),
            Optional.of(parent)));
    List<SpanData> steps =
        spans.getFinishedSpanItems().stream()
            .sorted(Comparator.comparing(s -> s.getAttributes().get(InferenceSpans.STEP_INDEX)))
            .toList();
    assertThat(steps).extracting(SpanData::getName).containsOnly(InferenceSpans.STEP).hasSize(3);
    assertThat(steps).allSatisfy(s -> assertThat(s.getParentSpanContext()).isEqualTo(parent));
    assertThat(steps)
        .extracting(s -> s.getAttributes().get(InferenceSpans.STEP_OUTCOME))
        .containsExactly("ok", "fallback_model", "ok");
    assertThat(steps)
        .extracting(s -> s.getAttributes().get(InferenceSpans.MODEL))
        .containsExactly("left", "right", "join");
    SpanData right = steps.get(1);
    assertThat(right.getAttributes().get(InferenceSpans.FALLBACK_MODEL)).isEqualTo("backup");
    assertThat(right.getAttributes().get(InferenceSpans.STEP_ROWS_SENT)).isEqualTo(2L);
    assertThat(steps.get(0).getAttributes().get(InferenceSpans.STEP_ROWS_SENT)).isEqualTo(1L);
    // each step's calls carry its span, for the step model's queue and compute spans
    for (InferenceRequest call : calls) {
      stepCalls.add(call.options().span().orElseThrow());
    }
    assertThat(stepCalls)
        .extracting(SpanContext::getSpanId)
        .containsOnly(steps.stream().map(SpanData::getSpanId).toArray(String[]::new));
  }

  @Test
  void aConstantFallbackFillsTheStepsOutputs() throws Exception {
    affine("left", 1, 0);
    affine("join", 1, 0);
    ExecutionResult result =
        run(
            scheduler(fanSteps(), "OUT,B", policy("right", "fallback_value=-1")),
            request(List.of("OUT", "B"), 1, 2, 3, 4));
    assertThat(floats(result.outputs().get(1))).containsExactly(-1, -1, -1, -1);
    assertThat((String) result.parameters().get("pipeline_fallbacks"))
        .startsWith("step 2 (model 'right') answered with fallback_value -1.0");
  }

  @Test
  void aStepTimeoutWithdrawsTheCallAndFallsBack() throws Exception {
    CompletableFuture<InferenceResponse> never = new CompletableFuture<>();
    models.put("slow", request -> never);
    affine("backup", 0, 5);
    ExecutionResult result =
        run(
            scheduler(
                step("slow", "IN", "OUT"),
                "OUT",
                policy("1", "timeout_ms=50; fallback_model=backup")),
            request(List.of("OUT"), 1, 2));
    assertThat(floats(result.outputs().get(0))).containsExactly(5, 5);
    assertThat(never).isCancelled();
    assertThat((String) result.parameters().get("pipeline_fallbacks"))
        .contains("model 'slow' did not answer within timeout_ms=50");
  }

  @Test
  void aHardStepTimeoutIsDeadlineExceededNamingTheStep() {
    models.put("slow", request -> new CompletableFuture<>());
    PipelineScheduler scheduler =
        scheduler(step("slow", "IN", "OUT"), "OUT", policy("1", "timeout_ms=20"));
    assertThatThrownBy(() -> run(scheduler, request(List.of("OUT"), 1, 2)))
        .cause()
        .hasMessageContaining("ensemble 'ens' step 1 (model 'slow') failed")
        .satisfies(
            e ->
                assertThat(((InferenceException) e).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
  }

  @Test
  void aDeclaredRetryRunsTheStepOnceMore() throws Exception {
    java.util.concurrent.atomic.AtomicInteger attempts =
        new java.util.concurrent.atomic.AtomicInteger();
    models.put(
        "flaky",
        request ->
            attempts.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(InferenceException.unavailable("busy"))
                : CompletableFuture.completedFuture(respond(request, x -> x)));
    ExecutionResult result =
        run(
            scheduler(step("flaky", "IN", "OUT"), "OUT", policy("1", "retry=1")),
            request(List.of("OUT"), 1, 2));
    assertThat(floats(result.outputs().get(0))).containsExactly(1, 2);
    assertThat(attempts).hasValue(2);
  }

  @Test
  void withoutADeclaredRetryAFailedStepRunsOnce() {
    models.put(
        "flaky", request -> CompletableFuture.failedFuture(InferenceException.unavailable("busy")));
    assertThatThrownBy(
            () ->
                run(
                    scheduler(step("flaky", "IN", "OUT"), "OUT", ""),
                    request(List.of("OUT"), 1, 2)))
        .cause()
        .hasMessageContaining("step 1 (model 'flaky') failed: busy");
    assertThat(calls).hasSize(1);
  }

  @Test
  void aConditionalStepRunsOnlyWhenItsConditionHolds() throws Exception {
    affine("first", 1, 0);
    affine("second", 100, 0);
    String steps = step("first", "IN", "A") + step("second", "A", "OUT");
    String when = policy("second", "when=A>2; fallback_value=0");
    ExecutionResult skipped = run(scheduler(steps, "OUT", when), request(List.of("OUT"), 1, 5));
    assertThat(floats(skipped.outputs().get(0))).containsExactly(0, 0);
    assertThat(skipped.parameters())
        .containsEntry(
            "pipeline_skipped_steps", "step 2 (model 'second'): condition 'A>2' does not hold");
    ExecutionResult ran = run(scheduler(steps, "OUT", when), request(List.of("OUT"), 3, 5));
    assertThat(floats(ran.outputs().get(0))).containsExactly(300, 500);
  }

  @Test
  void aCascadeSendsOnlyUncertainRowsAndMergesInRowOrder() throws Exception {
    affine("cheap", 1, 0); // confidences are the inputs themselves
    affine("expensive", -1, 0);
    String steps = step("cheap", "IN", "P") + step("expensive", "IN", "OUT");
    ExecutionResult result =
        run(
            scheduler(steps, "OUT", policy("expensive", "cascade=P<0.8")),
            request(List.of("OUT"), 0.9f, 0.1f, 0.6f, 0.4f, 0.2f, 0.95f, 0.5f, 0.5f));
    // rows 1 and 3 (max 0.6 and 0.5) are uncertain: only they reach the expensive model
    assertThat(calls.get(1).modelName()).isEqualTo("expensive");
    assertThat(floats(calls.get(1).inputs().get(0))).containsExactly(0.6f, 0.4f, 0.5f, 0.5f);
    assertThat(floats(result.outputs().get(0)))
        .containsExactly(0.9f, 0.1f, -0.6f, -0.4f, 0.2f, 0.95f, -0.5f, -0.5f);
    assertThat(result.parameters())
        .containsEntry("pipeline_cascade_escalated_rows", 2L)
        .containsEntry("pipeline_cascade", "step 2 (model 'expensive'): 2 of 4 rows where P<0.8");
  }

  @Test
  void aCascadeWithNoUncertainRowNeverCallsTheNextModel() throws Exception {
    affine("cheap", 1, 0);
    affine("expensive", -1, 0);
    ExecutionResult result =
        run(
            scheduler(
                step("cheap", "IN", "P") + step("expensive", "IN", "OUT"),
                "OUT",
                policy("2", "cascade=P<0.8")),
            request(List.of("OUT"), 0.9f, 0.1f));
    assertThat(calls).extracting(InferenceRequest::modelName).containsExactly("cheap");
    assertThat(floats(result.outputs().get(0))).containsExactly(0.9f, 0.1f);
  }

  @Test
  void aRouterSendsEachRowToTheModelItsKeyPicks() throws Exception {
    affine("keys", 0, 0);
    models.put(
        "keys",
        request -> {
          float[] in = floats(request.inputs().get(0));
          float[] key = new float[in.length / 2];
          for (int r = 0; r < key.length; r++) {
            key[r] = in[2 * r];
          }
          ByteBuffer data = ByteBuffer.allocate(key.length * 4).order(ByteOrder.LITTLE_ENDIAN);
          for (float k : key) {
            data.putFloat(k);
          }
          Tensor y = Tensor.of("y", DataType.FP32, new long[] {key.length, 1}, data.flip());
          return CompletableFuture.completedFuture(
              new InferenceResponse("keys", "1", Optional.empty(), List.of(y), Map.of()));
        });
    affine("generic", 1, 0);
    affine("tens", 10, 0);
    affine("hundreds", 100, 0);
    String steps = step("keys", "IN", "K") + step("generic", "IN", "OUT");
    String config =
        "name: \"ens\" platform: \"ensemble\" max_batch_size: 8\n"
            + "input [ { name: \"IN\" data_type: TYPE_FP32 dims: [ 2 ] } ]\n"
            + "output [ { name: \"OUT\" data_type: TYPE_FP32 dims: [ 2 ] } ]\n"
            + "ensemble_scheduling { "
            + steps
            + " }\n"
            + policy("generic", "route_by=K; routes=1:tens,2:hundreds");
    ModelConfig parsed = ModelConfigParser.parse(config, "ens/config.pbtxt");
    ModelInterface keys =
        new ModelInterface(
            8,
            XY.inputs(),
            List.of(new TensorContract("y", DataType.FP32, new long[] {1}, Optional.empty())));
    Pipeline pipeline = Pipeline.of(parsed, "ens");
    Map<Integer, ModelInterface> interfaces =
        PipelineCheck.check(
            pipeline,
            ModelInterface.of(parsed),
            (m, v) -> Optional.of(m.equals("keys") ? keys : XY));
    PipelineScheduler scheduler =
        new PipelineScheduler(
            pipeline,
            interfaces,
            request -> {
              calls.add(request);
              return models.get(request.modelName()).apply(request);
            },
            timer,
            System::nanoTime,
            new PipelineMeters(registry, "ens", "1"));
    ExecutionResult result = run(scheduler, request(List.of("OUT"), 1, 1, 2, 2, 3, 3, 1, 4));
    assertThat(floats(result.outputs().get(0))).containsExactly(10, 10, 200, 200, 3, 3, 10, 40);
    assertThat((String) result.parameters().get("pipeline_routes"))
        .isEqualTo(
            "step 2 (model 'generic'): model 'tens' 2 rows, model 'hundreds' 1 rows, model 'generic' 1 rows");
  }

  @Test
  void stepMetricsCountWhoAnswered() throws Exception {
    affine("left", 1, 0);
    affine("join", 1, 0);
    affine("backup", 1, 0);
    run(
        scheduler(fanSteps(), "OUT,B", policy("right", "fallback_model=backup")),
        request(List.of("OUT", "B"), 1, 2));
    assertThat(
            registry
                .get("infera.pipeline.answers")
                .tag("step_model", "right")
                .tag("answered_by", "fallback_model")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(registry.get("infera.pipeline.step.duration").tag("step", "1").timer().count())
        .isEqualTo(1);
  }

  @Test
  void aStoppedSchedulerRefusesNewRequestsAndDrainsRunningOnes() throws Exception {
    CompletableFuture<InferenceResponse> held = new CompletableFuture<>();
    models.put("held", request -> held);
    PipelineScheduler scheduler = scheduler(step("held", "IN", "OUT"), "OUT", "");
    CompletableFuture<ExecutionResult> running = scheduler.enqueue(request(List.of("OUT"), 1, 2));
    CompletableFuture<Void> stopped = scheduler.stop();
    assertThat(stopped).isNotDone();
    assertThatThrownBy(() -> run(scheduler, request(List.of("OUT"), 1, 2)))
        .cause()
        .hasMessageContaining("ensemble 'ens' is unloading");
    held.complete(
        new InferenceResponse("held", "1", Optional.empty(), List.of(fp32("y", 1, 2)), Map.of()));
    running.get(30, TimeUnit.SECONDS);
    stopped.get(30, TimeUnit.SECONDS);
  }
}
