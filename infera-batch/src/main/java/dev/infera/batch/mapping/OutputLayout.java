package dev.infera.batch.mapping;

import dev.infera.batch.io.OutputColumn;
import dev.infera.core.contract.ModelInterface;
import dev.infera.core.contract.TensorContract;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of the output files: the id column, then each chosen model output as one column (one
 * value per row) or as {@code NAME_0 .. NAME_{n-1}} (n values per row), in the order asked.
 */
public final class OutputLayout {
  private final List<Output> outputs;
  private final List<OutputColumn> columns;

  /**
   * One chosen output.
   *
   * @param name the model output
   * @param dataType its element type
   * @param width its values per row
   * @param columns the column names of its values
   */
  public record Output(String name, DataType dataType, int width, List<String> columns) {
    public Output {
      columns = List.copyOf(columns);
    }
  }

  private OutputLayout(List<Output> outputs, List<OutputColumn> columns) {
    this.outputs = List.copyOf(outputs);
    this.columns = List.copyOf(columns);
  }

  /**
   * The layout for a model.
   *
   * @param specs {@code --output-columns} values: {@code OUTPUT} or {@code OUTPUT=COLUMN}; empty
   *     for every output under its own name
   * @param idName the id column's name
   * @param idType the id column's type
   * @throws IllegalArgumentException for an unknown output or one of variable shape
   */
  public static OutputLayout of(
      ModelInterface model, List<String> specs, String idName, OutputColumn.Type idType) {
    Map<String, String> chosen = new LinkedHashMap<>();
    for (String spec : specs) {
      for (String part : spec.split(",")) {
        int eq = part.indexOf('=');
        String output = (eq < 0 ? part : part.substring(0, eq)).trim();
        chosen.put(output, eq < 0 ? output : part.substring(eq + 1).trim());
      }
    }
    if (chosen.isEmpty()) {
      model.outputs().forEach(output -> chosen.put(output.name(), output.name()));
    }
    List<Output> outputs = new ArrayList<>();
    List<OutputColumn> columns = new ArrayList<>();
    columns.add(new OutputColumn(idName, idType));
    for (Map.Entry<String, String> entry : chosen.entrySet()) {
      TensorContract contract =
          model.outputs().stream()
              .filter(output -> output.name().equals(entry.getKey()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--output-columns names output '"
                              + entry.getKey()
                              + "', which the model does not have (expected one of "
                              + model.outputs().stream().map(TensorContract::name).toList()
                              + ")"));
      Output output = output(contract, entry.getValue());
      outputs.add(output);
      OutputColumn.Type type = columnType(contract);
      output.columns().forEach(name -> columns.add(new OutputColumn(name, type)));
    }
    return new OutputLayout(outputs, columns);
  }

  private static Output output(TensorContract contract, String column) {
    long width = 1;
    for (long dim : contract.dims()) {
      if (dim < 0) {
        throw new IllegalArgumentException(
            "output '"
                + contract.name()
                + "' has a variable shape "
                + Arrays.toString(contract.dims())
                + " (batch jobs write a fixed number of columns)");
      }
      width *= dim;
    }
    List<String> names = new ArrayList<>();
    if (width == 1) {
      names.add(column);
    } else {
      for (int i = 0; i < width; i++) {
        names.add(column + "_" + i);
      }
    }
    return new Output(contract.name(), contract.dataType(), (int) width, names);
  }

  private static OutputColumn.Type columnType(TensorContract contract) {
    return switch (contract.dataType()) {
      case FP32 -> OutputColumn.Type.FLOAT;
      case FP64 -> OutputColumn.Type.DOUBLE;
      case BOOL -> OutputColumn.Type.BOOLEAN;
      case BYTES -> OutputColumn.Type.TEXT;
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> OutputColumn.Type.BIGINT;
      default ->
          throw new IllegalArgumentException(
              "output '"
                  + contract.name()
                  + "' is "
                  + contract.dataType()
                  + ", which batch jobs cannot write");
    };
  }

  public List<Output> outputs() {
    return outputs;
  }

  public List<OutputColumn> columns() {
    return columns;
  }

  /** The output names to ask the model for, in layout order. */
  public List<String> outputNames() {
    return outputs.stream().map(Output::name).toList();
  }

  /** Whether every output is FP32 (then {@link #floats} gives a batch's values). */
  public boolean allFloat() {
    return outputs.stream().allMatch(output -> output.dataType() == DataType.FP32);
  }

  /**
   * A batch's output values (the columns after the id), row after row, for an all-FP32 layout: the
   * values {@link #row} gives, unboxed.
   */
  public float[] floats(List<Tensor> tensors, int rows) {
    int width = columns.size() - 1;
    float[] values = new float[rows * width];
    int at = 0;
    for (int o = 0; o < outputs.size(); o++) {
      int outputWidth = outputs.get(o).width();
      ByteBuffer data = tensors.get(o).data();
      FloatBuffer floats = data.duplicate().order(data.order()).position(0).asFloatBuffer();
      if (outputWidth == width) {
        floats.get(values, 0, rows * width);
      } else {
        for (int r = 0; r < rows; r++) {
          floats.get(r * outputWidth, values, r * width + at, outputWidth);
        }
      }
      at += outputWidth;
    }
    return values;
  }

  /**
   * The output row of one batch row.
   *
   * @param id the row's id value
   * @param tensors the response's tensors, in {@link #outputs} order
   * @param row the row within the batch
   */
  public Object[] row(Object id, List<Tensor> tensors, int row) {
    Object[] values = new Object[columns.size()];
    values[0] = id;
    int at = 1;
    for (int o = 0; o < outputs.size(); o++) {
      Output output = outputs.get(o);
      Tensor tensor = tensors.get(o);
      for (int i = 0; i < output.width(); i++) {
        values[at++] = value(tensor, output.dataType(), row * output.width() + i);
      }
    }
    return values;
  }

  private static Object value(Tensor tensor, DataType type, int index) {
    if (type == DataType.BYTES) {
      return new String(tensor.elements().get(index), StandardCharsets.UTF_8);
    }
    ByteBuffer data = tensor.data();
    return switch (type) {
      case FP32 -> data.getFloat(index * 4);
      case FP64 -> data.getDouble(index * 8);
      case BOOL -> data.get(index) != 0;
      case INT8 -> (long) data.get(index);
      case UINT8 -> (long) (data.get(index) & 0xFF);
      case INT16 -> (long) data.getShort(index * 2);
      case UINT16 -> (long) (data.getShort(index * 2) & 0xFFFF);
      case INT32 -> (long) data.getInt(index * 4);
      case UINT32 -> data.getInt(index * 4) & 0xFFFF_FFFFL;
      case INT64 -> data.getLong(index * 8);
      default -> throw new IllegalStateException("unsupported " + type);
    };
  }
}
