package dev.infera.bench.report;

import dev.infera.bench.inprocess.InProcessResult;
import dev.infera.bench.load.Latencies;
import dev.infera.bench.load.StepResult;
import dev.infera.bench.metrics.ServerSplit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns results into report rows; latencies in milliseconds, throughput per second. */
public final class ResultRows {

  private ResultRows() {}

  /** A load step: throughput, client latency percentiles, errors and the server's split. */
  public static Map<String, Object> of(StepResult step) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(step.mode(), step.mode().equals("rate") ? (Object) step.load() : (long) step.load());
    row.put("batch", step.batchSize());
    row.put("req_per_s", step.requestsPerSecond());
    row.put("infer_per_s", step.inferencesPerSecond());
    putLatencies(row, step.latencies());
    row.put("errors", step.errors());
    ServerSplit server = step.server();
    row.put("server_queue_ms", server == null ? Double.NaN : server.meanQueueSeconds() * 1e3);
    row.put("server_compute_ms", server == null ? Double.NaN : server.meanComputeSeconds() * 1e3);
    row.put("server_mean_batch", server == null ? Double.NaN : server.meanBatchSize());
    return row;
  }

  /** An in-process run at one batch size. */
  public static Map<String, Object> of(InProcessResult result) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("engine", result.engine());
    row.put("batch", result.batchSize());
    row.put("threads", result.threads());
    row.put("calls_per_s", result.callsPerSecond());
    row.put("rows_per_s", result.rowsPerSecond());
    putLatencies(row, result.latencies());
    return row;
  }

  private static void putLatencies(Map<String, Object> row, Latencies latencies) {
    row.put("p50_ms", latencies.percentileNanos(50) / 1e6);
    row.put("p90_ms", latencies.percentileNanos(90) / 1e6);
    row.put("p95_ms", latencies.percentileNanos(95) / 1e6);
    row.put("p99_ms", latencies.percentileNanos(99) / 1e6);
  }
}
