package dev.infera.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a finished job did; written as {@value #FILE} beside its outputs.
 *
 * @param model the model
 * @param version the version that scored the rows
 * @param inputs the input files
 * @param output the output folder
 * @param format the output format
 * @param rowsIn rows read (all partitions, earlier runs included)
 * @param rowsOut rows written
 * @param rejected rows rejected (in the reject files)
 * @param seconds this run's wall time
 * @param rowsPerSecond rows this run scored or rejected, per second of this run
 * @param cpuSeconds the process's CPU time during this run
 * @param peakRssBytes the process's peak resident memory (Linux); -1 where unknown
 * @param resumedPartitions partitions an earlier run had committed
 * @param partitions each partition's counts and time
 * @param distribution per numeric output column: count, min, max, mean, quantiles
 */
public record JobSummary(
    String model,
    String version,
    List<String> inputs,
    String output,
    String format,
    long rowsIn,
    long rowsOut,
    long rejected,
    double seconds,
    double rowsPerSecond,
    double cpuSeconds,
    long peakRssBytes,
    int resumedPartitions,
    List<Partition> partitions,
    Map<String, Map<String, Object>> distribution) {
  public static final String FILE = "_summary.json";

  public JobSummary {
    inputs = List.copyOf(inputs);
    partitions = List.copyOf(partitions);
  }

  /** The same summary naming its input and output files otherwise. */
  public JobSummary withPaths(List<String> newInputs, String newOutput) {
    return new JobSummary(
        model,
        version,
        newInputs,
        newOutput,
        format,
        rowsIn,
        rowsOut,
        rejected,
        seconds,
        rowsPerSecond,
        cpuSeconds,
        peakRssBytes,
        resumedPartitions,
        partitions,
        distribution);
  }

  /**
   * One partition.
   *
   * @param index its number
   * @param rowsIn rows read
   * @param rowsOut rows written
   * @param rejected rows rejected
   * @param seconds the time it took
   * @param resumed whether an earlier run committed it
   */
  public record Partition(
      int index, long rowsIn, long rowsOut, long rejected, double seconds, boolean resumed) {}

  public void write(Path folder) {
    Path file = folder.resolve(FILE);
    try {
      JobFilesJson.MAPPER.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write '" + file + "': " + e.getMessage(), e);
    }
  }

  /** This summary as JSON text. */
  public String toJson() {
    try {
      return JobFilesJson.MAPPER.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
