/**
 * Data monitoring: what the served data looks like, per model version, against a reference.
 *
 * <p>Each monitored version keeps memory-bounded, mergeable sketches (Apache DataSketches KLL
 * quantiles for numbers, frequent items for strings) of its inputs and outputs over a sliding
 * window, compares them with a reference profile (PSI, Kolmogorov-Smirnov) and counts data-quality
 * problems (NaN, infinities, values outside the reference range, unseen categories). The engine
 * feeds it; the work happens on one named monitoring thread behind a bounded queue, so the request
 * path only hands over references to immutable tensors.
 *
 * <p>Depends on the SPI, Micrometer and DataSketches only; no other core package.
 */
package dev.infera.core.monitoring;
