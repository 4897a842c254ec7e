package dev.infera.batch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Wall and CPU time of one run, and the process's peak resident memory. */
public final class RunClock {
  private final long startNanos;
  private final long startCpuNanos;

  private RunClock(long startNanos, long startCpuNanos) {
    this.startNanos = startNanos;
    this.startCpuNanos = startCpuNanos;
  }

  public static RunClock start() {
    return new RunClock(System.nanoTime(), processCpuNanos());
  }

  public double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  public double cpuSeconds() {
    long now = processCpuNanos();
    return now < 0 || startCpuNanos < 0 ? -1 : (now - startCpuNanos) / 1e9;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** VmHWM from /proc/self/status, in bytes; -1 where there is none. */
  public static long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
