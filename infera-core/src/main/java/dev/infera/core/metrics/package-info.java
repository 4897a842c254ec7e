/**
 * The names and meters of Infera's metrics, recorded through Micrometer and exposed by the server
 * in Prometheus format. Names follow Prometheus conventions (base units, {@code _total}, {@code
 * _seconds}); every per-model meter has the labels {@code model} and {@code version}. Depends on
 * Micrometer only.
 */
package dev.infera.core.metrics;
