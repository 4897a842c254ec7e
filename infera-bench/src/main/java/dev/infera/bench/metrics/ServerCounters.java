package dev.infera.bench.metrics;

import java.util.List;

/**
 * The cumulative counters of one model at one moment, summed over its versions: the queue and
 * compute duration histograms' sums (seconds) and counts, the inference (rows) and execution
 * (batches) counts, and the executed batches' size histogram's sum (rows) and count.
 */
public record ServerCounters(
    double queueSeconds,
    double queueCount,
    double computeSeconds,
    double computeCount,
    double inferences,
    double executions,
    double batchRows,
    double batches) {

  static final String QUEUE = "infera_inference_queue_duration_seconds";
  static final String COMPUTE = "infera_inference_compute_duration_seconds";
  static final String INFERENCES = "infera_inference_count_total";
  static final String EXECUTIONS = "infera_inference_exec_count_total";
  static final String BATCH_SIZE = "infera_inference_batch_size_rows";

  /** Sums the samples labelled {@code model="<model>"}; missing metrics count as 0. */
  public static ServerCounters of(List<Sample> samples, String model) {
    double[] sums = new double[8];
    for (Sample sample : samples) {
      if (!model.equals(sample.labels().get("model"))) {
        continue;
      }
      int index =
          switch (sample.name()) {
            case QUEUE + "_sum" -> 0;
            case QUEUE + "_count" -> 1;
            case COMPUTE + "_sum" -> 2;
            case COMPUTE + "_count" -> 3;
            case INFERENCES -> 4;
            case EXECUTIONS -> 5;
            case BATCH_SIZE + "_sum" -> 6;
            case BATCH_SIZE + "_count" -> 7;
            default -> -1;
          };
      if (index >= 0) {
        sums[index] += sample.value();
      }
    }
    return new ServerCounters(
        sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7]);
  }
}
