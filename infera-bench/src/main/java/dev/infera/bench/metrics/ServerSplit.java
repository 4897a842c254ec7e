package dev.infera.bench.metrics;

/**
 * Where the server spent a window's requests, from the change of its counters: mean time queued and
 * mean time computing per request (seconds), and mean rows per execution, from the executed
 * batches' size histogram (the inference count would add answers from the response cache and leave
 * out failed batches; it is used only where the server has no such histogram). A value is NaN when
 * its denominator did not change.
 *
 * @param executions executions (batches) in the window
 */
public record ServerSplit(
    double meanQueueSeconds, double meanComputeSeconds, double meanBatchSize, double executions) {

  /** The split between two readings of the same server, {@code before} taken first. */
  public static ServerSplit between(ServerCounters before, ServerCounters after) {
    return new ServerSplit(
        ratio(
            after.queueSeconds() - before.queueSeconds(), after.queueCount() - before.queueCount()),
        ratio(
            after.computeSeconds() - before.computeSeconds(),
            after.computeCount() - before.computeCount()),
        after.batches() > before.batches()
            ? ratio(after.batchRows() - before.batchRows(), after.batches() - before.batches())
            : ratio(
                after.inferences() - before.inferences(), after.executions() - before.executions()),
        after.executions() - before.executions());
  }

  private static double ratio(double numerator, double denominator) {
    return denominator > 0 ? numerator / denominator : Double.NaN;
  }
}
