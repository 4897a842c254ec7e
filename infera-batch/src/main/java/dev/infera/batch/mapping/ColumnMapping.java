package dev.infera.batch.mapping;

import dev.infera.core.contract.ModelInterface;
import dev.infera.core.contract.TensorContract;
import dev.infera.spi.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * How a file's columns feed a model's inputs, and which column identifies a row.
 *
 * <p>Rules, in order, for each input: an {@code --input-columns INPUT=SPEC} mapping; a column named
 * like the input (an array column, or the single value of a width-1 input); for a model with one
 * input of width N, the file's N columns other than the id column, in file order.
 *
 * @param inputs one binding per model input, in the model's order
 * @param idColumn the id column's index, or -1 when rows are identified by their number
 * @param idName the id column's name in the outputs ({@value #ROW_NUMBER_COLUMN} without one)
 */
public record ColumnMapping(List<InputBinding> inputs, int idColumn, String idName) {
  /** The output column that identifies rows when the input has no id column. */
  public static final String ROW_NUMBER_COLUMN = "row";

  /** The input column taken to identify rows when {@code --id-column} names none. */
  public static final String DEFAULT_ID = "id";

  private static final Set<DataType> SUPPORTED =
      EnumSet.of(
          DataType.FP32,
          DataType.FP64,
          DataType.INT8,
          DataType.INT16,
          DataType.INT32,
          DataType.INT64,
          DataType.UINT8,
          DataType.UINT16,
          DataType.UINT32,
          DataType.BOOL,
          DataType.BYTES);

  public ColumnMapping {
    inputs = List.copyOf(inputs);
  }

  /** The file columns (by index) a row's inputs and id are read from. */
  public int[] columnsRead() {
    IntStream ids = idColumn >= 0 ? IntStream.of(idColumn) : IntStream.empty();
    return IntStream.concat(
            ids, inputs.stream().flatMapToInt(input -> IntStream.of(input.columns())))
        .distinct()
        .toArray();
  }

  /**
   * Maps a file's columns to a model's inputs.
   *
   * @param model the model's inputs and outputs
   * @param columns the file's column names
   * @param specs {@code --input-columns} values: {@code INPUT=COL[,COL...]}, where {@code A..B}
   *     stands for the columns from A to B in file order; the {@code INPUT=} part may be left out
   *     when the model has one input
   * @param idColumn {@code --id-column}; without it a column named {@code id} is the id, if any
   * @throws IllegalArgumentException listing every input that cannot be mapped and why
   */
  public static ColumnMapping resolve(
      ModelInterface model, List<String> columns, List<String> specs, Optional<String> idColumn) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      index.putIfAbsent(columns.get(i), i);
    }
    int id = idIndex(columns, index, idColumn);
    Map<String, String> explicit = parseSpecs(model, specs);
    List<String> problems = new ArrayList<>();
    List<InputBinding> bindings = new ArrayList<>();
    for (TensorContract input : model.inputs()) {
      try {
        bindings.add(bind(model, input, columns, index, id, explicit.get(input.name())));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new ColumnMapping(bindings, id, id < 0 ? ROW_NUMBER_COLUMN : columns.get(id));
  }

  private static int idIndex(
      List<String> columns, Map<String, Integer> index, Optional<String> idColumn) {
    if (idColumn.isPresent()) {
      Integer id = index.get(idColumn.get());
      if (id == null) {
        throw new IllegalArgumentException(
            "--id-column '" + idColumn.get() + "' is not a column of the input " + columns);
      }
      return id;
    }
    return index.getOrDefault(DEFAULT_ID, -1);
  }

  private static Map<String, String> parseSpecs(ModelInterface model, List<String> specs) {
    Map<String, String> byInput = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      String input;
      String columns;
      if (eq < 0) {
        if (model.inputs().size() != 1) {
          throw new IllegalArgumentException(
              "--input-columns '"
                  + spec
                  + "' names no input (expected INPUT=COLUMNS; the model has inputs "
                  + inputNames(model)
                  + ")");
        }
        input = model.inputs().get(0).name();
        columns = spec;
      } else {
        input = spec.substring(0, eq).trim();
        columns = spec.substring(eq + 1).trim();
      }
      if (model.inputs().stream().noneMatch(in -> in.name().equals(input))) {
        throw new IllegalArgumentException(
            "--input-columns names input '"
                + input
                + "', which the model does not have (expected one of "
                + inputNames(model)
                + ")");
      }
      byInput.merge(input, columns, (a, b) -> a + "," + b);
    }
    return byInput;
  }

  private static List<String> inputNames(ModelInterface model) {
    return model.inputs().stream().map(TensorContract::name).toList();
  }

  private static InputBinding bind(
      ModelInterface model,
      TensorContract input,
      List<String> columns,
      Map<String, Integer> index,
      int id,
      String spec) {
    if (!SUPPORTED.contains(input.dataType())) {
      throw new IllegalArgumentException(
          "input '" + input.name() + "' is " + input.dataType() + ", which batch jobs cannot feed");
    }
    long[] dims = input.dims();
    long width = 1;
    for (long dim : dims) {
      if (dim < 0) {
        throw new IllegalArgumentException(
            "input '"
                + input.name()
                + "' has a variable shape "
                + Arrays.toString(dims)
                + " (batch jobs need a fixed shape per row)");
      }
      width *= dim;
    }
    int[] chosen;
    if (spec != null) {
      chosen = columnsOf(spec, columns, index, input.name());
    } else if (index.containsKey(input.name())) {
      chosen = new int[] {index.get(input.name())};
    } else if (model.inputs().size() == 1 && columns.size() - (id < 0 ? 0 : 1) == width) {
      chosen = new int[(int) width];
      for (int i = 0, c = 0; i < columns.size(); i++) {
        if (i != id) {
          chosen[c++] = i;
        }
      }
    } else {
      throw new IllegalArgumentException(
          "input '"
              + input.name()
              + "' ("
              + input.dataType()
              + ", "
              + width
              + " values per row): no column is named '"
              + input.name()
              + "' and the file has "
              + (columns.size() - (id < 0 ? 0 : 1))
              + " columns besides the id (expected "
              + width
              + "); map it with --input-columns "
              + input.name()
              + "=COLUMNS");
    }
    if (chosen.length != 1 && chosen.length != width) {
      throw new IllegalArgumentException(
          "input '"
              + input.name()
              + "' takes "
              + width
              + " values per row but is mapped to "
              + chosen.length
              + " columns (expected "
              + width
              + ", or one array column)");
    }
    String[] names = new String[chosen.length];
    for (int i = 0; i < chosen.length; i++) {
      names[i] = columns.get(chosen[i]);
    }
    return new InputBinding(input.name(), input.dataType(), dims, (int) width, chosen, names);
  }

  private static int[] columnsOf(
      String spec, List<String> columns, Map<String, Integer> index, String input) {
    List<Integer> chosen = new ArrayList<>();
    for (String part : spec.split(",")) {
      String name = part.trim();
      int range = name.indexOf("..");
      if (range > 0) {
        int from = column(name.substring(0, range).trim(), index, input, columns);
        int to = column(name.substring(range + 2).trim(), index, input, columns);
        if (to < from) {
          throw new IllegalArgumentException(
              "--input-columns " + input + ": range '" + name + "' runs backwards in the file");
        }
        for (int i = from; i <= to; i++) {
          chosen.add(i);
        }
      } else {
        chosen.add(column(name, index, input, columns));
      }
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int column(
      String name, Map<String, Integer> index, String input, List<String> columns) {
    Integer found = index.get(name);
    if (found == null) {
      throw new IllegalArgumentException(
          "--input-columns "
              + input
              + ": '"
              + name
              + "' is not a column of the input (columns: "
              + abbreviated(columns)
              + ")");
    }
    return found;
  }

  private static String abbreviated(List<String> columns) {
    return columns.size() <= 8
        ? columns.toString()
        : columns.subList(0, 8) + " and " + (columns.size() - 8) + " more";
  }
}
