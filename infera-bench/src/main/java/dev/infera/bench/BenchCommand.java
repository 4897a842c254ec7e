package dev.infera.bench;

import dev.infera.bench.client.Protocol;
import dev.infera.bench.input.ShapeOverride;
import dev.infera.bench.report.ReportFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code infera bench}: measures a served model (throughput, latency percentiles, errors, the
 * server's queue/compute split), or with {@code --in-process} the same model file run directly.
 * Every bad option is reported at once, before anything runs.
 */
@Command(
    name = "infera bench",
    mixinStandardHelpOptions = true,
    subcommands = TrivialServerCommand.class,
    description =
        "Measure a KServe v2 model's throughput and latency over REST or gRPC, in the spirit of"
            + " Triton's perf_analyzer; or, with --in-process, the same model without a server.")
public final class BenchCommand implements Callable<Integer> {
  static final int CORES = Runtime.getRuntime().availableProcessors();

  @Option(
      names = {"-m", "--model"},
      paramLabel = "NAME",
      description = "The model to load.")
  String model;

  @Option(
      names = {"-u", "--url"},
      paramLabel = "HOST:PORT",
      description = "The server. Default: localhost:8000 for REST, localhost:8001 for gRPC.")
  String url;

  @Option(
      names = "--protocol",
      defaultValue = "rest-json",
      paramLabel = "P",
      description = "rest-json, rest-binary or grpc. Default: ${DEFAULT-VALUE}.")
  String protocol;

  @Option(
      names = "--metrics-url",
      paramLabel = "HOST:PORT|URL",
      description = "The server's Prometheus endpoint, for the queue/compute split per step.")
  String metricsUrl;

  @Option(
      names = "--batch-size",
      defaultValue = "1",
      paramLabel = "N",
      description = "Rows per request for random input. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--input-data",
      defaultValue = "random",
      paramLabel = "random|FILE",
      description =
          "random (from the model's metadata) or a KServe v2 JSON request body. Default: ${DEFAULT-VALUE}.")
  String inputData;

  @Option(
      names = "--shape",
      paramLabel = "NAME:d1,d2",
      description = "The shape of a dynamic input, without the batch dimension; repeatable.")
  List<String> shapes = new ArrayList<>();

  @Option(
      names = "--concurrency-range",
      paramLabel = "START:END:STEP",
      description = "Closed-loop sweep of outstanding requests. Default: 1.")
  String concurrencyRange;

  @Option(
      names = "--request-rate",
      paramLabel = "N",
      description = "Open loop: send N requests per second on a fixed schedule.")
  Double requestRate;

  @Option(
      names = "--max-in-flight",
      defaultValue = "4096",
      paramLabel = "N",
      description = "Open loop: requests beyond N outstanding are not sent but counted as errors.")
  int maxInFlight;

  @Option(
      names = "--connections",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "gRPC: the HTTP/2 connections requests are spread over (one connection is read by one"
              + " event loop at each end, which bounds large tensors). REST always opens one"
              + " connection per outstanding request. Default: ${DEFAULT-VALUE}.")
  int connections;

  @Option(
      names = "--io-threads",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "REST: the client's event-loop threads that run its connections (as wrk -t)."
              + " Default: ${DEFAULT-VALUE}.")
  int ioThreads;

  @Option(
      names = "--duration",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "Measurement window of each step. Default: ${DEFAULT-VALUE}.")
  double durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      paramLabel = "SECONDS",
      description = "Load before each step's window, not measured. Default: ${DEFAULT-VALUE}.")
  double warmupSeconds;

  @Option(
      names = "--timeout",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "Per-request timeout. Default: ${DEFAULT-VALUE}.")
  double timeoutSeconds;

  @Option(
      names = "--format",
      defaultValue = "table",
      paramLabel = "F",
      description = "table, json or csv. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "N",
      description = "Seed of the random inputs. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--in-process",
      description = "Run --model-file directly with ONNX Runtime or XGBoost: the hardware limit.")
  boolean inProcess;

  @Option(
      names = "--model-file",
      paramLabel = "FILE",
      description = "In process: a .onnx file, or an XGBoost .json or .ubj file.")
  Path modelFile;

  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "1,8,64",
      paramLabel = "N,N,...",
      description = "In process: the batch sizes to run. Default: ${DEFAULT-VALUE}.")
  List<Integer> batchSizes;

  @Option(
      names = "--threads",
      defaultValue = "1",
      paramLabel = "N",
      description = "In process: threads calling the model at once. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(
      names = "--intra-op-threads",
      paramLabel = "N",
      description =
          "In process: ONNX Runtime intra-op (XGBoost nthread) threads. Default: the core count.")
  Integer intraOpThreads;

  @Option(
      names = "--ort-spinning",
      defaultValue = "true",
      arity = "1",
      paramLabel = "BOOL",
      description =
          "In process: whether ONNX Runtime's pool threads spin while idle (ONNX Runtime's own"
              + " default, true; the server turns it off). Default: ${DEFAULT-VALUE}.")
  boolean ortSpinning;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line as {@code main} runs it: a failure prints one line, never a stack trace. */
  static CommandLine commandLine() {
    return new CommandLine(new BenchCommand())
        .setExecutionExceptionHandler(
            (error, commandLine, parseResult) -> {
              commandLine.getErr().println("infera bench: " + error.getMessage());
              return CommandLine.ExitCode.SOFTWARE;
            });
  }

  @Override
  public Integer call() throws Exception {
    List<String> problems = validate();
    if (!problems.isEmpty()) {
      System.err.println("infera bench: " + String.join("\n  ", problems));
      return CommandLine.ExitCode.USAGE;
    }
    try {
      String out = inProcess ? new InProcessBench(this).run() : new ServerBench(this).run();
      System.out.print(out);
      return CommandLine.ExitCode.OK;
    } catch (IllegalArgumentException e) {
      System.err.println("infera bench: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    } catch (IllegalStateException e) {
      System.err.println("infera bench: " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    }
  }

  /** Every problem with the options, empty when they are consistent. */
  List<String> validate() {
    List<String> problems = new ArrayList<>();
    check(problems, () -> ReportFormat.fromCliName(format));
    check(problems, this::shapeOverrides);
    if (!(durationSeconds > 0)) {
      problems.add("--duration " + durationSeconds + " (expected > 0 seconds)");
    }
    if (!(warmupSeconds >= 0)) {
      problems.add("--warmup " + warmupSeconds + " (expected >= 0 seconds)");
    }
    if (inProcess) {
      validateInProcess(problems);
    } else {
      validateServer(problems);
    }
    return problems;
  }

  private void validateInProcess(List<String> problems) {
    if (modelFile == null) {
      problems.add("--in-process needs --model-file (a .onnx, .json or .ubj file)");
    } else if (InProcessBench.engine(modelFile) == null) {
      problems.add("--model-file '" + modelFile + "' (expected a .onnx, .json or .ubj file)");
    }
    if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(size -> size < 1)) {
      problems.add("--batch-sizes " + batchSizes + " (expected positive integers)");
    }
    if (threads < 1) {
      problems.add("--threads " + threads + " (expected >= 1)");
    }
    if (intraOpThreads != null && intraOpThreads < 1) {
      problems.add("--intra-op-threads " + intraOpThreads + " (expected >= 1)");
    }
  }

  private void validateServer(List<String> problems) {
    if (model == null || model.isBlank()) {
      problems.add("-m/--model is required (or --in-process with --model-file)");
    }
    check(problems, () -> Protocol.fromCliName(protocol));
    if (batchSize < 1) {
      problems.add("--batch-size " + batchSize + " (expected >= 1)");
    }
    if (concurrencyRange != null && requestRate != null) {
      problems.add("--concurrency-range and --request-rate exclude each other (pick one)");
    }
    if (concurrencyRange != null) {
      check(problems, () -> ConcurrencyRange.parse(concurrencyRange));
    }
    if (requestRate != null && !(requestRate > 0)) {
      problems.add("--request-rate " + requestRate + " (expected > 0 requests per second)");
    }
    if (connections < 1) {
      problems.add("--connections " + connections + " (expected >= 1)");
    }
    if (ioThreads < 1) {
      problems.add("--io-threads " + ioThreads + " (expected >= 1)");
    }
    if (maxInFlight < 1) {
      problems.add("--max-in-flight " + maxInFlight + " (expected >= 1)");
    }
    if (!(timeoutSeconds > 0)) {
      problems.add("--timeout " + timeoutSeconds + " (expected > 0 seconds)");
    }
    if (url != null && !url.matches("[^/:]+:\\d+")) {
      problems.add("--url '" + url + "' (expected HOST:PORT)");
    }
  }

  private static void check(List<String> problems, Runnable parse) {
    try {
      parse.run();
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }

  List<ShapeOverride> shapeOverrides() {
    return shapes.stream().map(ShapeOverride::parse).toList();
  }

  Protocol protocol() {
    return Protocol.fromCliName(protocol);
  }

  String url() {
    if (url != null) {
      return url;
    }
    return protocol() == Protocol.GRPC ? "localhost:8001" : "localhost:8000";
  }

  ReportFormat reportFormat() {
    return ReportFormat.fromCliName(format);
  }

  List<Integer> concurrencyLevels() {
    return concurrencyRange == null
        ? List.of(1)
        : ConcurrencyRange.parse(concurrencyRange).levels();
  }

  boolean randomInput() {
    return inputData.toLowerCase(Locale.ROOT).equals("random");
  }

  Duration duration() {
    return seconds(durationSeconds);
  }

  Duration warmup() {
    return seconds(warmupSeconds);
  }

  Duration timeout() {
    return seconds(timeoutSeconds);
  }

  int intraOpThreads() {
    return intraOpThreads == null ? CORES : intraOpThreads;
  }

  private static Duration seconds(double seconds) {
    return Duration.ofNanos((long) (seconds * 1e9));
  }
}
