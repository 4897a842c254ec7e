/**
 * Observability of the served data and requests, wired into the server: drift reports over REST,
 * payload capture, tracing. The sketches and statistics themselves live in {@code
 * dev.infera.core.monitoring}.
 */
package dev.infera.server.observability;
