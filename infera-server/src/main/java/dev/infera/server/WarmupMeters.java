package dev.infera.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The start-up warm-up's meters (docs/metrics.md): {@code infera_warmup_duration_seconds}, {@code
 * infera_warmup_requests_total{protocol}}, {@code infera_warmup_settled}, {@code
 * infera_warmup_failed_calls} and {@code infera_warmup_cpu_per_request_seconds}. Registered once,
 * when the warm-up ended; absent when it was off.
 */
final class WarmupMeters {
  static final String DURATION = "infera.warmup.duration";
  static final String REQUESTS = "infera.warmup.requests";
  static final String SETTLED = "infera.warmup.settled";
  static final String FAILED_CALLS = "infera.warmup.failed.calls";
  static final String CPU_PER_REQUEST = "infera.warmup.cpu.per.request";

  private WarmupMeters() {}

  static void bind(MeterRegistry registry, ServerWarmup.Result result) {
    double seconds = result.took().toNanos() / 1e9;
    Gauge.builder(DURATION, () -> seconds)
        .baseUnit("seconds")
        .description("How long the start-up warm-up before readiness took")
        .register(registry);
    result
        .requests()
        .forEach(
            (protocol, count) ->
                Counter.builder(REQUESTS)
                    .description("Synthetic requests the start-up warm-up sent, by protocol")
                    .tag("protocol", protocol.label)
                    .register(registry)
                    .increment(count));
    double settled = result.settled() ? 1 : 0;
    Gauge.builder(SETTLED, () -> settled)
        .description(
            "1 when the warm-up stopped because the JIT settled; 0 when the cap stopped it, every"
                + " call failed or there was nothing to send")
        .register(registry);
    double failed = result.failedCalls();
    Gauge.builder(FAILED_CALLS, () -> failed)
        .description(
            "Warm-up calls (a model over one protocol) that failed and were not sent again")
        .register(registry);
    double cpu = Double.isNaN(result.cpuNanosPerRequest()) ? 0 : result.cpuNanosPerRequest() / 1e9;
    Gauge.builder(CPU_PER_REQUEST, () -> cpu)
        .baseUnit("seconds")
        .description("Process CPU time per warm-up request in the warm-up's last window")
        .register(registry);
  }
}
