package dev.infera.spark;

import dev.infera.batch.BatchOptions;
import dev.infera.batch.LocalEngine;
import dev.infera.batch.ModelAccess;
import dev.infera.batch.ModelAccess.ModelView;
import dev.infera.batch.io.OutputColumn;
import dev.infera.batch.mapping.ColumnMapping;
import dev.infera.batch.mapping.OutputLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a Spark DataFrame with a model of an Infera repository, through the same engine code as
 * {@code infera batch}: the same column mapping (features as columns or one array column, strings
 * for BYTES), batches of up to the model's {@code max_batch_size}, the same output columns (the id
 * column first) and the same reject reasons. Each executor JVM loads the model once and shares it
 * between its tasks. The repository folder must be readable at the same path on every executor.
 *
 * <pre>{@code
 * InferaSpark.Scored scored =
 *     InferaSpark.score(df, "/models", "tabular_mlp", InferaSpark.Options.defaults());
 * scored.results().write().parquet("/out/scores");
 * scored.rejects().write().json("/out/rejects");
 * }</pre>
 */
public final class InferaSpark {
  /** The columns a {@link Scored#all()} row has after the output columns. */
  public static final List<String> REJECT_COLUMNS =
      List.of("_reject_where", "_reject_row", "_reject_reason");

  private InferaSpark() {}

  /**
   * How to score, as {@code infera batch}'s options of the same names.
   *
   * @param version the model version; empty for the highest ready one
   * @param inputColumns {@code --input-columns} values; empty for the automatic mapping
   * @param outputColumns {@code --output-columns} values; empty for every output
   * @param idColumn the id column; empty for {@code id} if present, else the row number ({@code
   *     row}, numbered in the DataFrame's order)
   * @param parallelism batches in flight per task
   * @param instances the model's instances per instance group in each executor JVM, instead of the
   *     configured count ({@code --instances}); empty for the configured count
   */
  public record Options(
      Optional<String> version,
      List<String> inputColumns,
      List<String> outputColumns,
      Optional<String> idColumn,
      int parallelism,
      OptionalInt instances) {
    public Options {
      inputColumns = List.copyOf(inputColumns);
      outputColumns = List.copyOf(outputColumns);
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism " + parallelism + " (expected >= 1)");
      }
      if (instances.isPresent() && instances.getAsInt() < 1) {
        throw new IllegalArgumentException(
            "instances " + instances.getAsInt() + " (expected >= 1)");
      }
    }

    /** Options with the configured instance count. */
    public Options(
        Optional<String> version,
        List<String> inputColumns,
        List<String> outputColumns,
        Optional<String> idColumn,
        int parallelism) {
      this(version, inputColumns, outputColumns, idColumn, parallelism, OptionalInt.empty());
    }

    /** These options with {@code count} instances per instance group in each executor JVM. */
    public Options withInstances(int count) {
      return new Options(
          version, inputColumns, outputColumns, idColumn, parallelism, OptionalInt.of(count));
    }

    public static Options defaults() {
      return new Options(
          Optional.empty(),
          List.of(),
          List.of(),
          Optional.empty(),
          BatchOptions.DEFAULT_PARALLELISM);
    }

    static Options of(BatchOptions batch, OptionalInt instances) {
      return new Options(
          batch.version(),
          batch.inputColumns(),
          batch.outputColumns(),
          batch.idColumn(),
          batch.parallelism(),
          instances);
    }
  }

  /**
   * A scored DataFrame (lazy, as any Spark transformation).
   *
   * @param all every input row once: the output columns, then {@link #REJECT_COLUMNS} (null for a
   *     scored row; for a rejected row the outputs are null and the reason says what was wrong)
   * @param outputColumns the output columns' names, the id column first
   * @param version the model version scored with
   */
  public record Scored(Dataset<Row> all, List<String> outputColumns, long version) {

    /** The scored rows: the id column and the model's outputs. */
    public Dataset<Row> results() {
      return all.filter(functions.col(REJECT_COLUMNS.get(2)).isNull())
          .select(columns(outputColumns));
    }

    /** The rejected rows: the id (null when unreadable), where the row was, and why. */
    public Dataset<Row> rejects() {
      return all.filter(functions.col(REJECT_COLUMNS.get(2)).isNotNull())
          .select(
              functions.col(outputColumns.get(0)),
              functions.col(REJECT_COLUMNS.get(0)).as("where"),
              functions.col(REJECT_COLUMNS.get(1)).as("row"),
              functions.col(REJECT_COLUMNS.get(2)).as("reason"));
    }

    private static Column[] columns(List<String> names) {
      return names.stream().map(functions::col).toArray(Column[]::new);
    }
  }

  /**
   * Scores a DataFrame.
   *
   * @param modelRepository the model repository folder (the same path on every executor)
   * @param model the model's name
   * @throws IllegalArgumentException when the model does not load, has no batch dimension, or the
   *     columns do not map onto its inputs (with the reason)
   */
  public static Scored score(
      Dataset<Row> df, String modelRepository, String model, Options options) {
    ModelEngines.Key key =
        new ModelEngines.Key(
            Path.of(modelRepository).toAbsolutePath().normalize().toString(),
            model,
            options.version().orElse(""),
            options.instances().orElse(0));
    LocalEngine engine = ModelEngines.get(key);
    ModelAccess access = engine.access();
    ModelView view = access.view(model, options.version());
    if (!view.contract().batched()) {
      throw new IllegalArgumentException(
          "model '"
              + model
              + "' has no batch dimension (max_batch_size 0); batch jobs score rows in batches");
    }
    List<String> columns = Arrays.asList(df.columns());
    ColumnMapping mapping =
        ColumnMapping.resolve(view.contract(), columns, options.inputColumns(), options.idColumn());
    OutputColumn.Type idType = idType(df.schema(), mapping);
    OutputLayout layout =
        OutputLayout.of(view.contract(), options.outputColumns(), mapping.idName(), idType);
    JavaRDD<Row> rows = df.javaRDD();
    ScoringSpec spec =
        new ScoringSpec(
            key,
            Long.toString(view.version()),
            options.inputColumns(),
            options.outputColumns(),
            options.idColumn().orElse(null),
            idType,
            options.parallelism(),
            columns,
            mapping.idColumn() < 0 ? partitionOffsets(rows) : null);
    JavaRDD<Row> scored = rows.mapPartitionsWithIndex(new PartitionScoring(spec), false);
    Dataset<Row> all = df.sparkSession().createDataFrame(scored, schema(layout));
    return new Scored(
        all, layout.columns().stream().map(OutputColumn::name).toList(), view.version());
  }

  private static OutputColumn.Type idType(StructType schema, ColumnMapping mapping) {
    if (mapping.idColumn() < 0) {
      return OutputColumn.Type.BIGINT;
    }
    DataType type = schema.fields()[mapping.idColumn()].dataType();
    return type instanceof IntegralType ? OutputColumn.Type.BIGINT : OutputColumn.Type.TEXT;
  }

  /** The rows before each partition, so that rows are numbered in the DataFrame's order. */
  private static long[] partitionOffsets(JavaRDD<Row> rows) {
    List<Long> counts =
        rows.mapPartitions(
                partition -> {
                  long n = 0;
                  while (partition.hasNext()) {
                    partition.next();
                    n++;
                  }
                  return List.of(n).iterator();
                })
            .collect();
    long[] offsets = new long[counts.size()];
    for (int i = 1; i < offsets.length; i++) {
      offsets[i] = offsets[i - 1] + counts.get(i - 1);
    }
    return offsets;
  }

  private static StructType schema(OutputLayout layout) {
    List<StructField> fields = new ArrayList<>();
    for (OutputColumn column : layout.columns()) {
      fields.add(DataTypes.createStructField(column.name(), sparkType(column.type()), true));
    }
    fields.add(DataTypes.createStructField(REJECT_COLUMNS.get(0), DataTypes.StringType, true));
    fields.add(DataTypes.createStructField(REJECT_COLUMNS.get(1), DataTypes.LongType, true));
    fields.add(DataTypes.createStructField(REJECT_COLUMNS.get(2), DataTypes.StringType, true));
    return DataTypes.createStructType(fields);
  }

  private static DataType sparkType(OutputColumn.Type type) {
    return switch (type) {
      case TEXT -> DataTypes.StringType;
      case BIGINT -> DataTypes.LongType;
      case FLOAT -> DataTypes.FloatType;
      case DOUBLE -> DataTypes.DoubleType;
      case BOOLEAN -> DataTypes.BooleanType;
    };
  }
}
