/**
 * Reads the server's side of a benchmark from its Prometheus endpoint: the text format parser, the
 * per-model counters a step needs (queue and compute histogram sums and counts, inference and
 * execution counts) and the split computed from their change across a measurement window.
 *
 * <p>May depend on the JDK only.
 */
package dev.infera.bench.metrics;
