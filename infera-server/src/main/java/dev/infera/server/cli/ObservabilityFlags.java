package dev.infera.server.cli;

import dev.infera.core.monitoring.DriftSettings;
import dev.infera.server.capture.CaptureSettings;
import dev.infera.server.observability.ObservabilityOptions;
import dev.infera.server.tracing.TraceConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The flags of {@code infera serve} for drift and data-quality monitoring and request tracing. */
final class ObservabilityFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--drift-models",
      paramLabel = "NAME",
      split = ",",
      description =
          "Models whose inputs and outputs are watched for drift and data quality; repeatable or comma-separated; * watches every model. Default: none.")
  List<String> driftModels = new ArrayList<>();

  @Option(
      names = "--drift-window-secs",
      defaultValue = "300",
      paramLabel = "SECONDS",
      description =
          "The sliding window live traffic is compared over, in seconds; it moves in fifths. Default: ${DEFAULT-VALUE}.")
  long driftWindowSeconds;

  @Option(
      names = "--drift-reference-rows",
      defaultValue = "1000",
      paramLabel = "ROWS",
      description =
          "Rows of a version's first traffic that become its reference when it has no stored profile (infera profile build). Default: ${DEFAULT-VALUE}.")
  long driftReferenceRows;

  @Option(
      names = "--drift-psi-threshold",
      defaultValue = "0.2",
      paramLabel = "PSI",
      description = "The PSI above which a feature counts as drifted. Default: ${DEFAULT-VALUE}.")
  double driftPsiThreshold;

  @Option(
      names = "--trace-config",
      paramLabel = "[MODE,]SETTING=VALUE",
      description =
          "Request tracing with OpenTelemetry, as Triton's flag: level=OFF|TIMESTAMPS, rate=N (trace 1 request in N), count=N (-1: no limit), mode=opentelemetry, opentelemetry,url=URL (OTLP/HTTP receiver; default http://localhost:4318/v1/traces), opentelemetry,resource=KEY=VALUE, opentelemetry,bsp_max_queue_size=N, opentelemetry,bsp_schedule_delay=MS, opentelemetry,bsp_max_export_batch_size=N. Repeatable. Default: level=OFF rate=1000.")
  List<String> traceConfig = new ArrayList<>();

  @Option(
      names = "--access-log",
      arity = "0..1",
      paramLabel = "BOOL",
      description =
          "Log one line per REST and gRPC request (logger dev.infera.access: method, path, status, duration, sizes, remote, with the request and trace ids). Default: false.")
  boolean accessLog;

  @Option(
      names = "--capture-models",
      paramLabel = "NAME",
      split = ",",
      description =
          "Models whose answered requests and responses are captured to JSON Lines files (--capture-dir); repeatable or comma-separated; * for every model. Default: none.")
  List<String> captureModels = new ArrayList<>();

  @Option(
      names = "--capture-dir",
      paramLabel = "DIR",
      description = "Where payload capture writes capture-NNNNNN.jsonl files.")
  Path captureDir;

  @Option(
      names = "--capture-rate",
      defaultValue = "1.0",
      paramLabel = "FRACTION",
      description =
          "The fraction of the captured models' requests recorded, in (0, 1]; 0.01 records 1 %%. Default: ${DEFAULT-VALUE}.")
  double captureRate;

  @Option(
      names = "--capture-redact",
      paramLabel = "TENSOR",
      split = ",",
      description =
          "Input or output names whose data is never written (name, type and shape are); repeatable or comma-separated.")
  List<String> captureRedact = new ArrayList<>();

  @Option(
      names = "--capture-max-file-mb",
      defaultValue = "100",
      paramLabel = "MB",
      description =
          "A capture file is closed and the next begun at this size. Default: ${DEFAULT-VALUE}.")
  long captureMaxFileMb;

  @Option(
      names = "--capture-max-file-age-secs",
      defaultValue = "3600",
      paramLabel = "SECONDS",
      description =
          "A capture file is closed and the next begun at this age. Default: ${DEFAULT-VALUE}.")
  long captureMaxFileAgeSeconds;

  @Option(
      names = "--capture-max-files",
      defaultValue = "24",
      paramLabel = "N",
      description = "Capture files kept at most; the oldest goes first. Default: ${DEFAULT-VALUE}.")
  int captureMaxFiles;

  @Option(
      names = "--capture-queue",
      defaultValue = "1000",
      paramLabel = "N",
      description =
          "Captured requests waiting to be written at most; more are dropped and counted. Default: ${DEFAULT-VALUE}.")
  int captureQueue;

  @Option(
      names = "--capture-sink",
      paramLabel = "URL",
      description =
          "Also POST the captured records to URL as CloudEvents (application/cloudevents-batch+json), in batches.")
  URI captureSink;

  @Option(
      names = "--capture-sink-batch",
      defaultValue = "100",
      paramLabel = "N",
      description = "Captured records sent in one POST at most. Default: ${DEFAULT-VALUE}.")
  int captureSinkBatch;

  ObservabilityOptions toOptions() {
    ObservabilityOptions options = options().withAccessLog(accessLog);
    if (!(captureRate > 0 && captureRate <= 1)) { // refused also without --capture-models
      throw new ParameterException(
          spec.commandLine(), "--capture-rate " + captureRate + " (expected > 0 and <= 1)");
    }
    if (captureModels.isEmpty()) {
      if (captureDir != null) {
        throw new ParameterException(
            spec.commandLine(), "--capture-dir needs --capture-models (the models to capture)");
      }
      return options;
    }
    if (captureDir == null) {
      throw new ParameterException(
          spec.commandLine(), "--capture-models needs --capture-dir (where the files go)");
    }
    try {
      CaptureSettings capture =
          new CaptureSettings(
              Set.copyOf(captureModels),
              captureRate,
              captureDir,
              Math.multiplyExact(captureMaxFileMb, 1024L * 1024),
              Duration.ofSeconds(captureMaxFileAgeSeconds),
              captureMaxFiles,
              Set.copyOf(captureRedact),
              captureQueue);
      return options.withCapture(
          captureSink == null ? capture : capture.withSink(captureSink, captureSinkBatch));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ParameterException(spec.commandLine(), "payload capture: " + e.getMessage());
    }
  }

  private ObservabilityOptions options() {
    TraceConfig tracing;
    try {
      tracing = TraceConfig.parse(traceConfig);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (driftModels.isEmpty()) {
      return ObservabilityOptions.NONE.withTracing(tracing);
    }
    DriftSettings defaults = DriftSettings.DEFAULTS;
    try {
      DriftSettings settings =
          new DriftSettings(
              Duration.ofSeconds(driftWindowSeconds),
              defaults.subWindows(),
              driftReferenceRows,
              defaults.minSamples(),
              driftPsiThreshold,
              defaults.maxColumns(),
              defaults.maxFeatures(),
              defaults.queueCapacity(),
              defaults.scoreInterval());
      return new ObservabilityOptions(Optional.of(settings), Set.copyOf(driftModels))
          .withTracing(tracing);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "drift monitoring: " + e.getMessage());
    }
  }
}
