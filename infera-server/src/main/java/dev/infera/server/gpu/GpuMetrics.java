package dev.infera.server.gpu;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-GPU gauges (Triton: {@code nv_gpu_utilization}, {@code nv_gpu_memory_used_bytes}, {@code
 * nv_gpu_memory_total_bytes}), refreshed from {@code nvidia-smi} by one named thread. Absent when
 * {@code nvidia-smi} is not installed or lists no GPU.
 *
 * <p>Threading: the poller thread writes the latest readings; scrapes read them.
 */
public final class GpuMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GpuMetrics.class);
  static final String UTILIZATION = "infera.gpu.utilization";
  static final String MEMORY_USED = "infera.gpu.memory.used";
  static final String MEMORY_TOTAL = "infera.gpu.memory.total";

  private final Map<Integer, GpuReading> latest = new ConcurrentHashMap<>();
  private final Supplier<Optional<String>> query;
  private final ScheduledExecutorService poller;

  GpuMetrics(
      MeterRegistry registry,
      List<GpuReading> first,
      Supplier<Optional<String>> query,
      Duration period) {
    this.query = query;
    for (GpuReading gpu : first) {
      latest.put(gpu.index(), gpu);
      Tags tags = Tags.of("gpu", Integer.toString(gpu.index()), "uuid", gpu.uuid());
      gauge(
          registry,
          UTILIZATION,
          "GPU utilization, 0 to 1 (nvidia-smi)",
          null,
          tags,
          gpu.index(),
          GpuReading::utilization);
      gauge(
          registry,
          MEMORY_USED,
          "GPU memory in use (nvidia-smi)",
          "bytes",
          tags,
          gpu.index(),
          GpuReading::memoryUsedBytes);
      gauge(
          registry,
          MEMORY_TOTAL,
          "GPU memory in all (nvidia-smi)",
          "bytes",
          tags,
          gpu.index(),
          GpuReading::memoryTotalBytes);
    }
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "gpu-metrics");
              thread.setDaemon(true);
              return thread;
            });
    poller.scheduleWithFixedDelay(
        this::refresh, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Gauges for every GPU nvidia-smi lists, or empty (no nvidia-smi, no GPU). */
  public static Optional<GpuMetrics> start(MeterRegistry registry, Duration period) {
    Supplier<Optional<String>> query = GpuMetrics::runNvidiaSmi;
    List<GpuReading> first = query.get().map(NvidiaSmi::parse).orElse(List.of());
    if (first.isEmpty()) {
      LOG.debug("no GPU gauges: nvidia-smi is absent or lists no GPU");
      return Optional.empty();
    }
    LOG.info("GPU gauges for {}", first.stream().map(g -> g.index() + " " + g.name()).toList());
    return Optional.of(new GpuMetrics(registry, first, query, period));
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      String unit,
      Tags tags,
      int index,
      java.util.function.ToDoubleFunction<GpuReading> value) {
    Gauge.builder(
            name,
            latest,
            readings -> {
              GpuReading reading = readings.get(index);
              return reading == null ? Double.NaN : value.applyAsDouble(reading);
            })
        .description(description)
        .baseUnit(unit)
        .tags(tags)
        .register(registry);
  }

  void refresh() {
    query.get().map(NvidiaSmi::parse).ifPresent(all -> all.forEach(g -> latest.put(g.index(), g)));
  }

  private static Optional<String> runNvidiaSmi() {
    Path output = null;
    try {
      output = Files.createTempFile("infera-nvidia-smi", ".csv");
      Process process =
          new ProcessBuilder(NvidiaSmi.COMMAND)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return process.exitValue() == 0
          ? Optional.of(Files.readString(output, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // not installed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          LOG.debug("cannot delete {}: {}", output, e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
