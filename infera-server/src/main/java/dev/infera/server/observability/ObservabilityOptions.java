package dev.infera.server.observability;

import dev.infera.core.monitoring.DriftSettings;
import dev.infera.server.capture.CaptureSettings;
import dev.infera.server.tracing.TraceConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the server watches beyond its metrics.
 *
 * @param drift drift and data-quality monitoring settings; empty when it is off
 * @param driftModels the models drift monitoring watches; {@code *} for every model
 * @param tracing request tracing ({@code --trace-config}); off unless it says otherwise
 * @param accessLog whether every REST and gRPC request gets an access log line ({@code
 *     --access-log})
 * @param capture payload capture ({@code --capture-*}); empty when it is off
 */
public record ObservabilityOptions(
    Optional<DriftSettings> drift,
    Set<String> driftModels,
    TraceConfig tracing,
    boolean accessLog,
    Optional<CaptureSettings> capture) {
  public static final ObservabilityOptions NONE =
      new ObservabilityOptions(Optional.empty(), Set.of());

  public ObservabilityOptions {
    Objects.requireNonNull(drift, "drift");
    Objects.requireNonNull(tracing, "tracing");
    Objects.requireNonNull(capture, "capture");
    driftModels = Set.copyOf(driftModels);
  }

  /** Drift monitoring as given, tracing off. */
  public ObservabilityOptions(Optional<DriftSettings> drift, Set<String> driftModels) {
    this(drift, driftModels, TraceConfig.DEFAULTS, false, Optional.empty());
  }

  /** These options with {@code config} for tracing. */
  public ObservabilityOptions withTracing(TraceConfig config) {
    return new ObservabilityOptions(drift, driftModels, config, accessLog, capture);
  }

  /** These options with the access log on or off. */
  public ObservabilityOptions withAccessLog(boolean on) {
    return new ObservabilityOptions(drift, driftModels, tracing, on, capture);
  }

  /** These options with payload capture as {@code settings} say. */
  public ObservabilityOptions withCapture(CaptureSettings settings) {
    return new ObservabilityOptions(drift, driftModels, tracing, accessLog, Optional.of(settings));
  }

  /** Whether drift monitoring watches a model. */
  public boolean watches(String model) {
    return drift.isPresent() && (driftModels.contains("*") || driftModels.contains(model));
  }
}
