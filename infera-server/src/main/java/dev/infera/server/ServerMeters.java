package dev.infera.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process-wide meters: JVM memory, threads and GC; process CPU ({@code process_cpu_usage}),
 * uptime, open files and resident memory ({@code process_resident_memory_bytes}, the memory the
 * operating system counts against the process, heap and native libraries together); and {@code
 * infera_build_info{version,commit}}, always 1.
 */
final class ServerMeters {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ServerMeters() {}

  static void bind(MeterRegistry registry, BuildInfo build) {
    // Names promtool rejects (an abbreviated unit, a "_count" gauge): process_cpu_usage stays.
    registry
        .config()
        .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
        .meterFilter(MeterFilter.denyNameStartsWith("system.cpu.count"));
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    if (Files.isReadable(STATUS)) {
      Gauge.builder("process.resident.memory", ServerMeters::residentBytes)
          .description("Resident memory of the process (VmRSS), heap and native together")
          .baseUnit("bytes")
          .register(registry);
    }
    Gauge.builder("infera.build.info", () -> 1)
        .description("The version and commit the server was built from; always 1")
        .tag("version", build.version())
        .tag("commit", build.commit())
        .register(registry);
  }

  /** VmRSS from {@code /proc/self/status} (Linux), in bytes; NaN when it cannot be read. */
  static double residentBytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024.0; // the kernel reports kB
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
