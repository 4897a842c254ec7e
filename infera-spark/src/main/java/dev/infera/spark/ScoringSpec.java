package dev.infera.spark;

import dev.infera.batch.BatchOptions;
import dev.infera.batch.io.OutputColumn;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What every task needs to score its partition, shipped from the driver: the model (pinned to the
 * version the driver resolved), the column options and the input's column names.
 *
 * @param engine the engine to score with
 * @param version the model version the driver resolved, which every task scores with
 * @param inputColumns {@code --input-columns} values
 * @param outputColumns {@code --output-columns} values
 * @param idColumn the id column; null for the default
 * @param idType the id column's type (from the DataFrame's schema)
 * @param parallelism batches in flight per task
 * @param columns the DataFrame's column names
 * @param partitionOffsets the rows before each partition, when rows are numbered (no id column);
 *     null otherwise
 */
record ScoringSpec(
    ModelEngines.Key engine,
    String version,
    List<String> inputColumns,
    List<String> outputColumns,
    String idColumn,
    OutputColumn.Type idType,
    int parallelism,
    List<String> columns,
    long[] partitionOffsets)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  ScoringSpec {
    inputColumns = List.copyOf(inputColumns);
    outputColumns = List.copyOf(outputColumns);
    columns = List.copyOf(columns);
  }

  /** The options the shared row scorer reads (model, version, parallelism); no files. */
  BatchOptions batchOptions() {
    return new BatchOptions(
        engine.model(),
        Optional.of(version),
        List.of(),
        Path.of(engine.repository()),
        Optional.empty(),
        inputColumns,
        outputColumns,
        Optional.ofNullable(idColumn),
        OptionalInt.empty(),
        OptionalLong.empty(),
        parallelism,
        false,
        1.0,
        OptionalInt.empty());
  }
}
