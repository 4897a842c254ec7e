/**
 * The hardware limit: runs a model file directly with ONNX Runtime or XGBoost4J, no server in
 * between, at given batch sizes from a given number of threads. ONNX Runtime sessions use the
 * server backend's default options (intra-op threads = cores, inter-op 1, sequential execution, all
 * graph optimizations), so the numbers are what serving could reach at best.
 *
 * <p>May depend on {@code dev.infera.bench.input}, {@code dev.infera.bench.load}, ONNX Runtime and
 * XGBoost4J.
 */
package dev.infera.bench.inprocess;
