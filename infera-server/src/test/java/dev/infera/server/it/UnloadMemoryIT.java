package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.server.InferaServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory comes back on unload: {@code tabular_mlp} (an ONNX Runtime session with 0.33 MB of
 * weights, warmed up with a batch of 64 on each load) is loaded and unloaded 200 times through the
 * REST repository API, and the process's resident memory ({@code VmRSS}) after the cycles stays
 * within {@value #BOUND_MB} MB of what it was after the first {@value #WARMUP_CYCLES} (which let
 * the JVM and ONNX Runtime reach their steady state). Growth of the Java heap's committed size is
 * taken out: the collector may grow the heap during the cycles, which says nothing about native
 * memory. A session leaked per load would add several MB per cycle: far beyond the bound after 200.
 * The bound leaves room for the measurement's own noise: committed heap pages are not all resident,
 * so the difference moves by tens of MB between runs of an unchanged build (23 MB and 63 MB seen in
 * two runs of one commit on a loaded 2-core machine).
 */
class UnloadMemoryIT {
  private static final Logger LOG = LoggerFactory.getLogger(UnloadMemoryIT.class);
  private static final int CYCLES = 200;
  private static final int WARMUP_CYCLES = 20;
  private static final long BOUND_MB = 128;
  private static final String WARMUP =
      """
      model_warmup [ {
        name: "random" batch_size: 64
        inputs { key: "features" value: { data_type: TYPE_FP32, dims: [ 64 ], random_data: true } }
      } ]
      """;

  @Test
  void residentMemoryStaysBoundedOver200LoadUnloadCycles() throws IOException {
    Path repo = Files.createTempDirectory("infera-memory");
    TestRepository.copyInto(TestRepository.examples().resolve("tabular_mlp"), repo.resolve("mem"));
    Path config = repo.resolve("mem/config.pbtxt");
    Files.writeString(
        config,
        Files.readString(config).replace("name: \"tabular_mlp\"", "name: \"mem\"") + WARMUP);
    try (InferaServer server = LifecycleServers.start(repo, ControlOptions.explicit(List.of()));
        RestClient rest = new RestClient(server.httpPort(), false)) {
      for (int i = 0; i < WARMUP_CYCLES; i++) {
        cycle(rest);
      }
      long before = residentKb();
      long started = System.nanoTime();
      for (int i = 0; i < CYCLES; i++) {
        cycle(rest);
      }
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      long after = residentKb();

      LOG.info(
          "VmRSS less committed heap after {} warm-up cycles: {} MB; after {} more load/unload"
              + " cycles ({} s): {} MB;"
              + " growth {} MB (bound {} MB)",
          WARMUP_CYCLES,
          before / 1024,
          CYCLES,
          seconds,
          after / 1024,
          (after - before) / 1024,
          BOUND_MB);
      assertThat(after - before).isLessThan(BOUND_MB * 1024);
      assertThat(server.manager().index())
          .singleElement()
          .satisfies(s -> assertThat(s.reason()).isEqualTo("unloaded"));
    }
  }

  private static void cycle(RestClient rest) {
    assertThat(LifecycleServers.post(rest, "/v2/repository/models/mem/load", "").statusCode())
        .isEqualTo(200);
    assertThat(LifecycleServers.post(rest, "/v2/repository/models/mem/unload", "").statusCode())
        .isEqualTo(200);
  }

  /** The process's resident set size in kB, from /proc/self/status. */
  /** Resident memory outside the Java heap's committed size, in KiB. */
  private static long residentKb() throws IOException {
    long heapKb =
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted()
            / 1024;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) - heapKb;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
