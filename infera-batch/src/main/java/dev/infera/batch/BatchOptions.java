package dev.infera.batch;

import dev.infera.batch.io.FileFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one batch job does.
 *
 * @param model the model's name
 * @param version the version to use; empty for the highest ready one
 * @param inputs input files or folders
 * @param output the output folder
 * @param format the output format; empty for the input's
 * @param inputColumns {@code --input-columns} values (see {@link
 *     dev.infera.batch.mapping.ColumnMapping#resolve})
 * @param outputColumns {@code --output-columns} values (see {@link
 *     dev.infera.batch.mapping.OutputLayout#of})
 * @param idColumn the column identifying rows; empty to use a column named {@code id} if any
 * @param partitions the number of partitions to cut the input into; empty to go by rows
 * @param partitionRows the rows of each partition; empty for {@value #DEFAULT_PARTITION_ROWS}
 * @param parallelism the most batches in flight at once (and at most 64 MiB of their inputs)
 * @param resume whether to finish a job the output folder holds (only unfinished partitions)
 * @param maxErrorRate the share of rejected rows (0..1) above which the job stops
 * @param priority the scheduler priority level to ask for (1 highest); empty for the default
 */
public record BatchOptions(
    String model,
    Optional<String> version,
    List<Path> inputs,
    Path output,
    Optional<FileFormat> format,
    List<String> inputColumns,
    List<String> outputColumns,
    Optional<String> idColumn,
    OptionalInt partitions,
    OptionalLong partitionRows,
    int parallelism,
    boolean resume,
    double maxErrorRate,
    OptionalInt priority) {
  public static final long DEFAULT_PARTITION_ROWS = 100_000;
  public static final int DEFAULT_PARALLELISM = 32;

  /** Rows read before the error rate can stop a job, so that one bad first row does not. */
  static final long ERROR_RATE_MIN_ROWS = 100;

  public BatchOptions {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(output, "output");
    inputs = List.copyOf(inputs);
    inputColumns = List.copyOf(inputColumns);
    outputColumns = List.copyOf(outputColumns);
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism " + parallelism + " (expected >= 1)");
    }
    if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
      throw new IllegalArgumentException("max error rate " + maxErrorRate + " (expected 0..1)");
    }
    if (partitions.isPresent() && partitionRows.isPresent()) {
      throw new IllegalArgumentException("give partitions or partition rows, not both");
    }
    if (partitions.isPresent() && partitions.getAsInt() < 1) {
      throw new IllegalArgumentException(
          "partitions " + partitions.getAsInt() + " (expected >= 1)");
    }
    if (partitionRows.isPresent() && partitionRows.getAsLong() < 1) {
      throw new IllegalArgumentException(
          "partition rows " + partitionRows.getAsLong() + " (expected >= 1)");
    }
  }

  /** Options for a model, input and output, with every other setting at its default. */
  public static BatchOptions of(String model, List<Path> inputs, Path output) {
    return new Builder(model, inputs, output).build();
  }

  public BatchOptions withResume(boolean value) {
    return toBuilder().resume(value).build();
  }

  public BatchOptions withPartitionRows(long rows) {
    return toBuilder().partitions(OptionalInt.empty()).partitionRows(OptionalLong.of(rows)).build();
  }

  public BatchOptions withFormat(FileFormat value) {
    return toBuilder().format(Optional.of(value)).build();
  }

  public BatchOptions withMaxErrorRate(double value) {
    return toBuilder().maxErrorRate(value).build();
  }

  public BatchOptions withParallelism(int value) {
    return toBuilder().parallelism(value).build();
  }

  public BatchOptions withPriority(int level) {
    return toBuilder().priority(OptionalInt.of(level)).build();
  }

  public BatchOptions withColumns(List<String> in, List<String> out, Optional<String> id) {
    return toBuilder().inputColumns(in).outputColumns(out).idColumn(id).build();
  }

  private Builder toBuilder() {
    Builder builder = new Builder(model, inputs, output);
    builder.version = version;
    builder.format = format;
    builder.inputColumns = inputColumns;
    builder.outputColumns = outputColumns;
    builder.idColumn = idColumn;
    builder.partitions = partitions;
    builder.partitionRows = partitionRows;
    builder.parallelism = parallelism;
    builder.resume = resume;
    builder.maxErrorRate = maxErrorRate;
    builder.priority = priority;
    return builder;
  }

  /** Options one setting at a time, the others at their defaults; checked by {@link #build}. */
  private static final class Builder {
    private final String model;
    private final List<Path> inputs;
    private final Path output;
    private Optional<String> version = Optional.empty();
    private Optional<FileFormat> format = Optional.empty();
    private List<String> inputColumns = List.of();
    private List<String> outputColumns = List.of();
    private Optional<String> idColumn = Optional.empty();
    private OptionalInt partitions = OptionalInt.empty();
    private OptionalLong partitionRows = OptionalLong.empty();
    private int parallelism = DEFAULT_PARALLELISM;
    private boolean resume;
    private double maxErrorRate = 1.0;
    private OptionalInt priority = OptionalInt.empty();

    Builder(String model, List<Path> inputs, Path output) {
      this.model = model;
      this.inputs = inputs;
      this.output = output;
    }

    Builder format(Optional<FileFormat> value) {
      format = value;
      return this;
    }

    Builder inputColumns(List<String> value) {
      inputColumns = value;
      return this;
    }

    Builder outputColumns(List<String> value) {
      outputColumns = value;
      return this;
    }

    Builder idColumn(Optional<String> value) {
      idColumn = value;
      return this;
    }

    Builder partitions(OptionalInt value) {
      partitions = value;
      return this;
    }

    Builder partitionRows(OptionalLong value) {
      partitionRows = value;
      return this;
    }

    Builder parallelism(int value) {
      parallelism = value;
      return this;
    }

    Builder resume(boolean value) {
      resume = value;
      return this;
    }

    Builder maxErrorRate(double value) {
      maxErrorRate = value;
      return this;
    }

    Builder priority(OptionalInt value) {
      priority = value;
      return this;
    }

    BatchOptions build() {
      return new BatchOptions(
          model,
          version,
          inputs,
          output,
          format,
          inputColumns,
          outputColumns,
          idColumn,
          partitions,
          partitionRows,
          parallelism,
          resume,
          maxErrorRate,
          priority);
    }
  }
}
