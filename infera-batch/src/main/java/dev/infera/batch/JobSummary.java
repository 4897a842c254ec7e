package dev.infera.batch;

import dev.infera.batch.io.FileFormat;
import dev.infera.batch.io.InputFiles;
import dev.infera.batch.mapping.OutputLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

  /**
   * A job's summary from its manifest: every committed partition (those not committed in this run,
   * {@code committedNow}, count as resumed), their output distributions merged, and this run's
   * time, CPU and rows scored per second.
   */
  static JobSummary of(
      BatchOptions options,
      Manifest manifest,
      Set<Integer> committedNow,
      InputFiles input,
      FileFormat format,
      OutputLayout layout,
      RunClock clock,
      long scoredNow) {
    OutputDistribution distribution = new OutputDistribution(layout.columns());
    List<Partition> partitions = new ArrayList<>();
    for (var entry : manifest.partitions().entrySet()) {
      Manifest.PartitionResult result = entry.getValue();
      distribution.merge(result.distribution());
      partitions.add(
          new Partition(
              entry.getKey(),
              result.rowsIn(),
              result.rowsOut(),
              result.rejected(),
              result.seconds(),
              !committedNow.contains(entry.getKey())));
    }
    return timed(
        options,
        manifest.job().version(),
        input,
        format,
        partitions,
        scoredNow,
        clock,
        distribution.summary());
  }

  /**
   * The summary of a run timed by {@code clock} (its seconds, CPU and the peak RSS read now): the
   * rows in, out and rejected and the resumed partitions counted over {@code partitions}, the rate
   * over the {@code scoredNow} rows this run scored or rejected.
   */
  public static JobSummary timed(
      BatchOptions options,
      String version,
      InputFiles input,
      FileFormat format,
      List<Partition> partitions,
      long scoredNow,
      RunClock clock,
      Map<String, Map<String, Object>> distribution) {
    double seconds = clock.seconds();
    return new JobSummary(
        options.model(),
        version,
        input.files().stream().map(Path::toString).toList(),
        options.output().toString(),
        format.name().toLowerCase(Locale.ROOT),
        partitions.stream().mapToLong(Partition::rowsIn).sum(),
        partitions.stream().mapToLong(Partition::rowsOut).sum(),
        partitions.stream().mapToLong(Partition::rejected).sum(),
        seconds,
        seconds > 0 ? scoredNow / seconds : 0,
        clock.cpuSeconds(),
        RunClock.peakRssBytes(),
        (int) partitions.stream().filter(Partition::resumed).count(),
        partitions,
        distribution);
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
