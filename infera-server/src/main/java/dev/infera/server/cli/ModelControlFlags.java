package dev.infera.server.cli;

import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.core.lifecycle.ModelControlMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The flags of {@code infera serve} for model control and readiness, named as Triton's. */
final class ModelControlFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--model-control-mode",
      defaultValue = "none",
      paramLabel = "MODE",
      description =
          "none: load every model at start, change nothing afterwards; poll: also apply repository changes every --repository-poll-secs; explicit: load only --load-model models, then what the repository API asks. Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(
      names = "--repository-poll-secs",
      defaultValue = "15",
      paramLabel = "SECONDS",
      description =
          "In poll mode, the seconds between repository scans. Default: ${DEFAULT-VALUE}.")
  long pollSeconds;

  @Option(
      names = "--load-model",
      paramLabel = "NAME",
      description = "In explicit mode, a model to load at start; repeatable; * loads every model.")
  List<String> loadModels = new ArrayList<>();

  @Option(
      names = "--strict-readiness",
      defaultValue = "true",
      arity = "0..1",
      paramLabel = "BOOL",
      description =
          "Ready (/v2/health/ready, gRPC ServerReady) only when every model that should be loaded is READY; when false, ready whatever the models' states. Default: ${DEFAULT-VALUE}.")
  boolean strictReadiness;

  /** {@code base} with these flags' control mode and readiness. */
  ManagerOptions apply(ManagerOptions base) {
    ModelControlMode parsed;
    try {
      parsed = ModelControlMode.parse(mode);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--model-control-mode: " + e.getMessage());
    }
    if (!loadModels.isEmpty() && parsed != ModelControlMode.EXPLICIT) {
      throw new ParameterException(
          spec.commandLine(), "--load-model needs --model-control-mode explicit");
    }
    if (parsed == ModelControlMode.POLL && pollSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--repository-poll-secs " + pollSeconds + " (expected >= 1 in poll mode)");
    }
    ControlOptions control =
        new ControlOptions(parsed, Duration.ofSeconds(Math.max(1, pollSeconds)), loadModels);
    return base.withStrictReadiness(strictReadiness).withControl(control);
  }
}
