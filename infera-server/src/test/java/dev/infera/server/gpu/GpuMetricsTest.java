package dev.infera.server.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The gauges over a stand-in for nvidia-smi (this machine has no GPU). */
class GpuMetricsTest {

  @Test
  void gaugesFollowTheLatestReading() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicReference<String> answer = new AtomicReference<>("0, GPU-a, NVIDIA H200, 40, 100, 200\n");
    try (GpuMetrics gpus =
        new GpuMetrics(
            registry,
            NvidiaSmi.parse(answer.get()),
            () -> Optional.of(answer.get()),
            Duration.ofHours(1))) {
      assertThat(registry.get(GpuMetrics.UTILIZATION).tag("gpu", "0").gauge().value())
          .isEqualTo(0.4);

      answer.set("0, GPU-a, NVIDIA H200, 97, 150, 200\n");
      gpus.refresh();

      assertThat(registry.get(GpuMetrics.UTILIZATION).tag("uuid", "GPU-a").gauge().value())
          .isEqualTo(0.97);
      assertThat(registry.get(GpuMetrics.MEMORY_USED).gauge().value())
          .isEqualTo(150.0 * 1024 * 1024);
      assertThat(registry.get(GpuMetrics.MEMORY_TOTAL).gauge().value())
          .isEqualTo(200.0 * 1024 * 1024);
    }
  }

  @Test
  void aFailedQueryKeepsTheLastReading() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (GpuMetrics gpus =
        new GpuMetrics(
            registry,
            NvidiaSmi.parse("0, GPU-a, NVIDIA H200, 40, 100, 200\n"),
            Optional::empty,
            Duration.ofHours(1))) {
      gpus.refresh();

      assertThat(registry.get(GpuMetrics.UTILIZATION).gauge().value()).isEqualTo(0.4);
    }
  }
}
