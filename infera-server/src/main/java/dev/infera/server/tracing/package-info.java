/**
 * Request tracing with OpenTelemetry: Triton's {@code --trace-config} and trace extension ({@code
 * /v2/trace/setting}, gRPC {@code TraceSetting}), the sampling of requests per model, the request
 * span each traced request gets at the edge (with its decode and encode spans), and the SDK with
 * its OTLP/HTTP exporter. The engine's own spans (queue, compute, batch) come from {@code
 * dev.infera.core.tracing} under the request span. An untraced request builds no span object.
 */
package dev.infera.server.tracing;
