package dev.infera.bench.metrics;

import java.util.Map;

/** One Prometheus sample: a metric name, its labels and its value. */
public record Sample(String name, Map<String, String> labels, double value) {

  public Sample {
    labels = Map.copyOf(labels);
  }
}
