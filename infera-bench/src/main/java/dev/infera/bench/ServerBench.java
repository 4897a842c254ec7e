package dev.infera.bench;

import dev.infera.bench.client.GrpcInferClient;
import dev.infera.bench.client.InferClient;
import dev.infera.bench.client.RestInferClient;
import dev.infera.bench.input.InputTensor;
import dev.infera.bench.input.RandomInputs;
import dev.infera.bench.input.RequestFile;
import dev.infera.bench.input.TensorMeta;
import dev.infera.bench.load.LoadDriver;
import dev.infera.bench.load.StepResult;
import dev.infera.bench.metrics.MetricsScraper;
import dev.infera.bench.report.ResultRows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Load against a served model: prepares one request, runs each step, renders the results. */
final class ServerBench {
  private final BenchCommand options;

  ServerBench(BenchCommand options) {
    this.options = options;
  }

  String run() throws InterruptedException {
    try (InferClient client = client()) {
      List<TensorMeta> metadata;
      List<InputTensor> inputs;
      if (options.randomInput()) {
        metadata = client.metadata();
        inputs =
            new RandomInputs(options.seed)
                .generate(metadata, options.batchSize, options.shapeOverrides());
      } else {
        inputs = RequestFile.read(Path.of(options.inputData));
        metadata = metadataOrNone(client);
      }
      client.prepare(inputs);
      String first = client.send().join();
      if (first != null) {
        String detail = client.failureDetail();
        throw new IllegalStateException(
            "model '"
                + options.model
                + "': the first request failed ("
                + first
                + (detail.isEmpty() ? "" : ": " + detail)
                + ")");
      }
      LoadDriver driver =
          new LoadDriver(
              client,
              rowsPerRequest(metadata, inputs),
              options.warmup(),
              options.duration(),
              options.timeout().plusSeconds(1),
              options.metricsUrl == null
                  ? null
                  : new MetricsScraper(options.metricsUrl, options.model));
      List<Map<String, Object>> rows = new ArrayList<>();
      for (StepResult step : steps(driver)) {
        rows.add(ResultRows.of(step));
      }
      return options.reportFormat().render(rows);
    }
  }

  private List<StepResult> steps(LoadDriver driver) throws InterruptedException {
    List<StepResult> steps = new ArrayList<>();
    if (options.requestRate != null) {
      steps.add(progress(driver.openLoop(options.requestRate, options.maxInFlight)));
    } else {
      for (int concurrency : options.concurrencyLevels()) {
        steps.add(progress(driver.closedLoop(concurrency)));
      }
    }
    return steps;
  }

  private static StepResult progress(StepResult step) {
    System.err.printf(
        Locale.ROOT,
        "infera bench: %s %s: %.1f req/s, p99 %.3f ms, %d errors%n",
        step.mode(),
        step.mode().equals("rate")
            ? String.valueOf(step.load())
            : String.valueOf((long) step.load()),
        step.requestsPerSecond(),
        step.latencies().percentileNanos(99) / 1e6,
        step.errorCount());
    return step;
  }

  /**
   * The metadata, or none when the server has none to give (any HTTP endpoint can be loaded with a
   * request file); each request then counts as one inference.
   */
  private static List<TensorMeta> metadataOrNone(InferClient client) {
    try {
      return client.metadata();
    } catch (IllegalStateException e) {
      System.err.println(
          "infera bench: " + e.getMessage() + "; counting one inference per request");
      return List.of();
    }
  }

  private InferClient client() {
    Duration timeout = options.timeout();
    return switch (options.protocol()) {
      case GRPC -> new GrpcInferClient(options.url(), options.model, timeout, options.connections);
      case REST_JSON ->
          new RestInferClient(options.url(), options.model, false, timeout, options.ioThreads);
      case REST_BINARY ->
          new RestInferClient(options.url(), options.model, true, timeout, options.ioThreads);
    };
  }

  /** Rows per request: dimension 0 of the first input the metadata declares batched, else 1. */
  static int rowsPerRequest(List<TensorMeta> metadata, List<InputTensor> inputs) {
    for (TensorMeta meta : metadata) {
      if (meta.batched()) {
        for (InputTensor input : inputs) {
          if (input.name().equals(meta.name()) && input.shape().length > 0) {
            return Math.toIntExact(input.shape()[0]);
          }
        }
      }
    }
    return 1;
  }
}
