package dev.infera.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ServerSplitTest {

  private static String metrics(
      double queueSum, long queueCount, double computeSum, long inferences, long executions) {
    return """
        # TYPE infera_inference_queue_duration_seconds histogram
        infera_inference_queue_duration_seconds_bucket{model="m",version="1",le="+Inf"} %2$d
        infera_inference_queue_duration_seconds_count{model="m",version="1"} %2$d
        infera_inference_queue_duration_seconds_sum{model="m",version="1"} %1$s
        infera_inference_compute_duration_seconds_count{model="m",version="1"} %2$d
        infera_inference_compute_duration_seconds_sum{model="m",version="1"} %3$s
        infera_inference_count_total{model="m",version="1"} %4$d
        infera_inference_exec_count_total{model="m",version="1"} %5$d
        infera_inference_count_total{model="other",version="1"} 999999
        infera_inference_exec_count_total{model="other",version="1"} 1
        """
        .formatted(queueSum, queueCount, computeSum, inferences, executions);
  }

  private static ServerCounters counters(String text) {
    return ServerCounters.of(PrometheusText.parse(text), "m");
  }

  @Test
  void meansComeFromTheChangeOfSumsAndCountsAcrossTheWindow() {
    ServerCounters before = counters(metrics(10.0, 1000, 20.0, 5000, 100));
    ServerCounters after = counters(metrics(10.5, 1500, 21.0, 9000, 150));

    ServerSplit split = ServerSplit.between(before, after);

    assertThat(split.meanQueueSeconds()).isCloseTo(0.001, within(1e-12));
    assertThat(split.meanComputeSeconds()).isCloseTo(0.002, within(1e-12));
    assertThat(split.meanBatchSize()).isCloseTo(80.0, within(1e-12));
    assertThat(split.executions()).isEqualTo(50.0);
  }

  @Test
  void theMeanBatchComesFromTheBatchSizeHistogramWhereTheServerHasIt() {
    // Cache hits count as inferences but run no batch: 4,000 rows answered, 3,000 of them batched.
    String histogram =
        """
        infera_inference_batch_size_rows_count{model="m",version="1"} %d
        infera_inference_batch_size_rows_sum{model="m",version="1"} %d
        """;
    ServerCounters before =
        counters(metrics(10.0, 1000, 20.0, 5000, 100) + histogram.formatted(100, 6000));
    ServerCounters after =
        counters(metrics(10.5, 1500, 21.0, 9000, 150) + histogram.formatted(150, 9000));

    assertThat(ServerSplit.between(before, after).meanBatchSize()).isCloseTo(60.0, within(1e-12));
  }

  @Test
  void withoutNewRequestsTheMeansAreNan() {
    ServerCounters same = counters(metrics(1.0, 10, 2.0, 10, 10));

    ServerSplit split = ServerSplit.between(same, same);

    assertThat(split.meanQueueSeconds()).isNaN();
    assertThat(split.meanComputeSeconds()).isNaN();
    assertThat(split.meanBatchSize()).isNaN();
  }

  @Test
  void versionsOfTheModelAreSummedAndOtherModelsIgnored() {
    ServerCounters counters =
        counters(
            """
            infera_inference_count_total{model="m",version="1"} 30
            infera_inference_count_total{model="m",version="2"} 12
            infera_inference_count_total{model="mm",version="1"} 1000
            infera_inference_exec_count_total{model="m",version="2"} 4
            """);

    assertThat(counters.inferences()).isEqualTo(42.0);
    assertThat(counters.executions()).isEqualTo(4.0);
    assertThat(counters.queueCount()).isZero();
  }
}
