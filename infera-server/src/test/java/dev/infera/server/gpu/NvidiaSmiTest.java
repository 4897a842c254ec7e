package dev.infera.server.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaSmiTest {

  @Test
  void parsesOneLinePerGpuInBaseUnits() {
    String output =
        "0, GPU-5e1f7c2a-1111-2222-3333-444455556666, NVIDIA H200, 98, 6981, 143771\n"
            + "1, GPU-aaaaaaaa-1111-2222-3333-444455556666, NVIDIA H200, 0, 1, 143771\n";

    List<GpuReading> gpus = NvidiaSmi.parse(output);

    assertThat(gpus).hasSize(2);
    GpuReading first = gpus.get(0);
    assertThat(first.index()).isZero();
    assertThat(first.uuid()).isEqualTo("GPU-5e1f7c2a-1111-2222-3333-444455556666");
    assertThat(first.name()).isEqualTo("NVIDIA H200");
    assertThat(first.utilization()).isEqualTo(0.98);
    assertThat(first.memoryUsedBytes()).isEqualTo(6981.0 * 1024 * 1024);
    assertThat(first.memoryTotalBytes()).isEqualTo(143771.0 * 1024 * 1024);
    assertThat(gpus.get(1).index()).isEqualTo(1);
  }

  @Test
  void unsupportedValuesAreNaNAndUnitsAreTolerated() {
    List<GpuReading> gpus =
        NvidiaSmi.parse("0, GPU-x, Tesla T4, [N/A], 512 MiB, [Not Supported]\r\n");

    assertThat(gpus).hasSize(1);
    assertThat(gpus.get(0).utilization()).isNaN();
    assertThat(gpus.get(0).memoryUsedBytes()).isEqualTo(512.0 * 1024 * 1024);
    assertThat(gpus.get(0).memoryTotalBytes()).isNaN();
  }

  @Test
  void warningsAndBlankLinesAreSkipped() {
    String output =
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"
            + "\n"
            + "index, uuid, name, utilization.gpu, memory.used, memory.total\n";

    assertThat(NvidiaSmi.parse(output)).isEmpty();
  }
}
