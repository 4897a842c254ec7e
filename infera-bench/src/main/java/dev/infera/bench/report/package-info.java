/**
 * Prints results as an aligned table, JSON or CSV. Results become ordered rows of named columns
 * first, so every format shows the same columns in the same order.
 *
 * <p>May depend on {@code dev.infera.bench.load}, {@code dev.infera.bench.inprocess}, {@code
 * dev.infera.bench.metrics} and Jackson.
 */
package dev.infera.bench.report;
