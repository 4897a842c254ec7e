package dev.infera.server.protocol;

import java.util.List;

/**
 * The protocol extensions this server implements, by the names Triton reports in its server
 * metadata ({@code GET /v2}, gRPC {@code ServerMetadata}). The one list both transports report: an
 * extension is added here when it is built for both, and only then (docs/api.md says what each
 * covers and what is missing).
 */
public final class Extensions {
  /** In Triton's order. */
  public static final List<String> SUPPORTED =
      List.of(
          "classification", // the output parameter "classification" (class_count), REST and gRPC
          "model_repository", // index, load (with a configuration override), unload
          "model_repository(unload_dependents)", // unload's parameter, as Triton reports it
          "schedule_policy", // the request parameters "priority" and "timeout"
          "model_configuration",
          "system_shared_memory",
          "binary_tensor_data", // with Triton's raw binary request
          "statistics",
          "trace", // OpenTelemetry mode: /v2/trace/setting, gRPC TraceSetting
          "logging");

  private Extensions() {}
}
