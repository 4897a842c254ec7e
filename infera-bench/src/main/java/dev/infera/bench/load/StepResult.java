package dev.infera.bench.load;

import dev.infera.bench.metrics.ServerSplit;
import java.util.Map;

/**
 * What one load step measured.
 *
 * @param mode {@code concurrency} or {@code rate}
 * @param load the concurrency, or the offered rate in requests per second
 * @param windowSeconds the length of the measurement window
 * @param requests successful requests of the window (closed loop: completed in it; open loop:
 *     scheduled in it)
 * @param batchSize inferences (rows) per request
 * @param latencies of the successful requests in the window
 * @param errors failed requests of the window (sent or scheduled in it, however late they ended;
 *     unanswered after the drain), by kind
 * @param server the server's queue/compute split over the window; {@code null} without metrics
 */
public record StepResult(
    String mode,
    double load,
    double windowSeconds,
    long requests,
    int batchSize,
    Latencies latencies,
    Map<String, Long> errors,
    ServerSplit server) {

  public StepResult {
    errors = Map.copyOf(errors);
  }

  public double requestsPerSecond() {
    return requests / windowSeconds;
  }

  public double inferencesPerSecond() {
    return requests * (double) batchSize / windowSeconds;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }
}
