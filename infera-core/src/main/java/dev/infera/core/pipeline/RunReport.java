package dev.infera.core.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one pipeline request's answer must say about how it was made, as response parameters:
 * fallbacks taken, soft steps that failed, steps skipped, cascade escalations and routes. Written
 * by the threads completing the request's steps; read once they all completed.
 */
final class RunReport {
  static final String DEGRADED = "pipeline_degraded";
  static final String FALLBACKS = "pipeline_fallbacks";
  static final String SOFT_FAILURES = "pipeline_soft_failures";
  static final String SKIPPED = "pipeline_skipped_steps";
  static final String CASCADE = "pipeline_cascade";
  static final String ESCALATED_ROWS = "pipeline_cascade_escalated_rows";
  static final String ROUTES = "pipeline_routes";

  private final List<String> fallbacks = new CopyOnWriteArrayList<>();
  private final List<String> softFailures = new CopyOnWriteArrayList<>();
  private final List<String> skipped = new CopyOnWriteArrayList<>();
  private final List<String> cascades = new CopyOnWriteArrayList<>();
  private final List<String> routes = new CopyOnWriteArrayList<>();
  private final AtomicLong escalated = new AtomicLong();

  void fallback(String text) {
    fallbacks.add(text);
  }

  void softFailure(String text) {
    softFailures.add(text);
  }

  void skipped(String text) {
    skipped.add(text);
  }

  void cascade(String text, long rows) {
    cascades.add(text);
    escalated.addAndGet(rows);
  }

  void route(String text) {
    routes.add(text);
  }

  /** The response parameters; empty when every step ran as declared with no special path. */
  Map<String, Object> parameters() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (!fallbacks.isEmpty() || !softFailures.isEmpty()) {
      parameters.put(DEGRADED, true);
    }
    put(parameters, FALLBACKS, fallbacks);
    put(parameters, SOFT_FAILURES, softFailures);
    put(parameters, SKIPPED, skipped);
    put(parameters, CASCADE, cascades);
    if (!cascades.isEmpty()) {
      parameters.put(ESCALATED_ROWS, escalated.get());
    }
    put(parameters, ROUTES, routes);
    return parameters;
  }

  private static void put(Map<String, Object> parameters, String key, List<String> texts) {
    if (!texts.isEmpty()) {
      parameters.put(key, String.join("; ", texts));
    }
  }
}
