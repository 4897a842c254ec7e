/**
 * The spans of a request's way through the engine, built with the OpenTelemetry API: queue wait and
 * compute per request, and one span per batch execution linked to every request it ran. The server
 * owns the SDK, the exporter and the sampling; here only requests the server chose to trace (those
 * whose options carry a span) get spans, so an untraced request builds none.
 *
 * <p>Depends on the OpenTelemetry API and infera-spi only; the scheduling package calls it.
 */
package dev.infera.core.tracing;
