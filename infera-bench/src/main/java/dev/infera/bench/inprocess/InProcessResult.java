package dev.infera.bench.inprocess;

import dev.infera.bench.load.Latencies;

/**
 * What one in-process run measured.
 *
 * @param engine {@code onnxruntime} or {@code xgboost}
 * @param batchSize rows per call
 * @param threads threads calling the model at once
 * @param windowSeconds the measurement window
 * @param calls calls completed in the window
 * @param latencies per call
 */
public record InProcessResult(
    String engine,
    int batchSize,
    int threads,
    double windowSeconds,
    long calls,
    Latencies latencies) {

  public double callsPerSecond() {
    return calls / windowSeconds;
  }

  public double rowsPerSecond() {
    return calls * (double) batchSize / windowSeconds;
  }
}
