package dev.infera.server.cli;

import dev.infera.core.monitoring.DriftSettings;
import dev.infera.server.observability.ObservabilityOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The flags of {@code infera serve} for drift and data-quality monitoring. */
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

  ObservabilityOptions toOptions() {
    if (driftModels.isEmpty()) {
      return ObservabilityOptions.NONE;
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
      return new ObservabilityOptions(Optional.of(settings), Set.copyOf(driftModels));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "drift monitoring: " + e.getMessage());
    }
  }
}
