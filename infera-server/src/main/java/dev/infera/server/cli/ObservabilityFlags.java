package dev.infera.server.cli;

import dev.infera.core.monitoring.DriftSettings;
import dev.infera.server.observability.ObservabilityOptions;
import dev.infera.server.tracing.TraceConfig;
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

  ObservabilityOptions toOptions() {
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
      return new ObservabilityOptions(Optional.of(settings), Set.copyOf(driftModels), tracing);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "drift monitoring: " + e.getMessage());
    }
  }
}
