package dev.infera.server.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code nvidia-smi} query Infera runs and the parser of its answer: {@code nvidia-smi
 * --query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total
 * --format=csv,noheader,nounits}, one line per GPU, utilization in percent and memory in MiB.
 */
public final class NvidiaSmi {
  static final List<String> COMMAND =
      List.of(
          "nvidia-smi",
          "--query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total",
          "--format=csv,noheader,nounits");

  private static final double MIB = 1024.0 * 1024.0;

  private NvidiaSmi() {}

  /**
   * The GPUs of one answer; lines that are not six fields with an integer index (warnings, blank
   * lines) are skipped.
   */
  public static List<GpuReading> parse(String output) {
    List<GpuReading> readings = new ArrayList<>();
    for (String line : output.split("\\R")) {
      String[] fields = line.split(",", -1);
      if (fields.length != 6) {
        continue;
      }
      int index;
      try {
        index = Integer.parseInt(fields[0].strip());
      } catch (NumberFormatException e) {
        continue;
      }
      readings.add(
          new GpuReading(
              index,
              fields[1].strip(),
              fields[2].strip(),
              number(fields[3]) / 100.0,
              number(fields[4]) * MIB,
              number(fields[5]) * MIB));
    }
    return readings;
  }

  private static double number(String field) {
    String text = field.strip().toLowerCase(Locale.ROOT);
    if (text.endsWith("%")) {
      text = text.substring(0, text.length() - 1).strip();
    } else if (text.endsWith("mib")) {
      text = text.substring(0, text.length() - 3).strip();
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN; // [N/A], [Not Supported]
    }
  }
}
