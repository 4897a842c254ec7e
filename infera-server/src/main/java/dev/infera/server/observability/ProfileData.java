package dev.infera.server.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.infera.batch.mapping.ColumnMapping;
import dev.infera.core.config.proto.DataType;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.config.proto.ModelInput;
import dev.infera.core.monitoring.DriftSettings;
import dev.infera.core.monitoring.ProfileBuilder;
import dev.infera.core.monitoring.ReferenceProfile;
import dev.infera.spi.NpyFile;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A reference profile from a file of sample rows ({@code infera profile build}): CSV with a header
 * row, JSON Lines (one object per row), or a NumPy {@code .npy} array for a model with one input
 * (rows along its first dimension). Each CSV or JSON Lines row gives every input of the model's
 * configuration:
 *
 * <ul>
 *   <li>JSON Lines: {@code {"INPUT": value}} with a number, a string or a (nested) array holding
 *       the input's elements in row-major order;
 *   <li>CSV: a column named as the input (one element), or columns {@code INPUT[0]}, {@code
 *       INPUT[1]}, … (as drift monitoring names them); for a model with one input, any columns but
 *       one named {@code id} (as {@code infera batch} reads them), in order, as many as the input
 *       has elements.
 * </ul>
 *
 * Rows are fed to {@link ProfileBuilder} in chunks, so the file is streamed, not loaded.
 */
public final class ProfileData {
  private static final int CHUNK_ROWS = 512;

  private ProfileData() {}

  /** One model input as the profile needs it. */
  private record Input(String name, boolean bytes, int elements) {}

  /**
   * Reads {@code data} and builds the profile of {@code config}'s inputs.
   *
   * @throws IllegalArgumentException naming the row and input that do not fit, or the file's
   *     problem
   * @throws IOException when the file cannot be read
   */
  public static ReferenceProfile build(ModelConfig config, Path data, DriftSettings settings)
      throws IOException {
    List<Input> inputs = inputs(config);
    ProfileBuilder builder = new ProfileBuilder(settings);
    Chunk chunk = new Chunk(inputs);
    long row = 0;
    String name = data.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      CsvMapper csv = new CsvMapper();
      try (MappingIterator<Map<String, String>> rows =
          csv.readerForMapOf(String.class)
              .with(CsvSchema.emptySchema().withHeader())
              .readValues(data.toFile())) {
        while (rows.hasNext()) {
          row++;
          Map<String, String> values = rows.next();
          for (Input input : inputs) {
            chunk.add(input, csvValues(values, input, inputs.size(), row));
          }
          chunk.endRow(builder);
        }
      }
    } else if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      try (MappingIterator<JsonNode> rows =
          new ObjectMapper().readerFor(JsonNode.class).readValues(data.toFile())) {
        while (rows.hasNext()) {
          row++;
          JsonNode values = rows.next();
          for (Input input : inputs) {
            chunk.add(input, jsonValues(values, input, row));
          }
          chunk.endRow(builder);
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException(
            "row " + (row + 1) + " is not JSON: " + e.getOriginalMessage());
      }
    } else if (name.endsWith(".npy")) {
      row = npyRows(inputs, data, builder);
    } else {
      throw new IllegalArgumentException(
          "data file '" + data.getFileName() + "' (expected a .csv, .jsonl or .npy file)");
    }
    if (row == 0) {
      throw new IllegalArgumentException("data file '" + data.getFileName() + "' has no rows");
    }
    chunk.flush(builder);
    return builder.build();
  }

  /**
   * A NumPy array whose first dimension is the rows and whose other dimensions hold one row of the
   * model's only input, fed in chunks straight from the mapped file.
   */
  private static long npyRows(List<Input> inputs, Path data, ProfileBuilder builder)
      throws IOException {
    String file = data.getFileName().toString();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "data file '"
              + file
              + "': a .npy file holds one array, and the model has "
              + inputs.size()
              + " inputs (expected one; use .csv or .jsonl for several)");
    }
    Input input = inputs.get(0);
    NpyFile npy = NpyFile.open(data);
    if (npy.shape().length < 1) {
      throw new IllegalArgumentException(
          "data file '" + file + "' holds a scalar (expected rows along the first dimension)");
    }
    if ((npy.dataType() == dev.infera.spi.DataType.BYTES) != input.bytes()) {
      throw new IllegalArgumentException(
          "data file '"
              + file
              + "' holds "
              + npy.dataType()
              + " values (expected "
              + (input.bytes() ? "strings" : "numbers")
              + " for input '"
              + input.name()
              + "')");
    }
    if (input.elements() >= 0 && npy.rowElements() != input.elements()) {
      throw new IllegalArgumentException(
          "data file '"
              + file
              + "' has "
              + npy.rowElements()
              + " values a row (shape "
              + java.util.Arrays.toString(npy.shape())
              + "; expected "
              + input.elements()
              + " for input '"
              + input.name()
              + "')");
    }
    for (long first = 0; first < npy.rowCount(); first += CHUNK_ROWS) {
      int count = (int) Math.min(CHUNK_ROWS, npy.rowCount() - first);
      builder.add(List.of(npy.rows(input.name(), first, count)));
    }
    return npy.rowCount();
  }

  private static List<Input> inputs(ModelConfig config) {
    if (config.getInputCount() == 0) {
      throw new IllegalArgumentException(
          "model '"
              + config.getName()
              + "' has no inputs in config.pbtxt (the profile is built for its inputs)");
    }
    List<Input> inputs = new ArrayList<>();
    for (ModelInput input : config.getInputList()) {
      long elements = 1;
      for (long dim : input.getDimsList()) {
        elements = dim < 0 ? -1 : elements * dim;
        if (elements < 0) {
          break;
        }
      }
      inputs.add(
          new Input(
              input.getName(),
              input.getDataType() == DataType.TYPE_STRING,
              (int) Math.min(elements, Integer.MAX_VALUE)));
    }
    return inputs;
  }

  private static List<String> csvValues(
      Map<String, String> row, Input input, int inputCount, long number) {
    if (row.containsKey(input.name())) {
      return List.of(row.get(input.name()));
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; row.containsKey(input.name() + "[" + i + "]"); i++) {
      values.add(row.get(input.name() + "[" + i + "]"));
    }
    if (values.isEmpty() && inputCount == 1) {
      row.forEach(
          (column, value) -> {
            if (!column.equals(ColumnMapping.DEFAULT_ID)) { // identifies rows, as in infera batch
              values.add(value);
            }
          });
    }
    if (values.isEmpty()) {
      throw new IllegalArgumentException(
          "row "
              + number
              + ": no column for input '"
              + input.name()
              + "' (expected a column '"
              + input.name()
              + "' or columns '"
              + input.name()
              + "[0]', '"
              + input.name()
              + "[1]', …)");
    }
    return values;
  }

  private static List<String> jsonValues(JsonNode row, Input input, long number) {
    JsonNode node = row.get(input.name());
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException(
          "row " + number + ": no value for input '" + input.name() + "'");
    }
    List<String> values = new ArrayList<>();
    flatten(node, values);
    return values;
  }

  private static void flatten(JsonNode node, List<String> values) {
    if (node.isArray()) {
      node.forEach(element -> flatten(element, values));
    } else {
      values.add(node.asText());
    }
  }

  /** Rows gathered per input until a chunk is full; fed to the builder as batch tensors. */
  private static final class Chunk {
    private final List<Input> inputs;
    private final List<List<String>> values = new ArrayList<>();
    private final int[] elements;
    private final int chunkRows;
    private int rows;
    private long row;

    Chunk(List<Input> inputs) {
      this.inputs = inputs;
      this.elements = new int[inputs.size()];
      // An input without fixed dimensions may differ in length from row to row: one row a chunk.
      this.chunkRows = inputs.stream().anyMatch(i -> i.elements() < 0) ? 1 : CHUNK_ROWS;
      for (int i = 0; i < inputs.size(); i++) {
        values.add(new ArrayList<>());
        elements[i] = -1;
      }
    }

    void add(Input input, List<String> given) {
      int index = inputs.indexOf(input);
      int expected = input.elements() >= 0 ? input.elements() : elements[index];
      if (expected >= 0 && given.size() != expected) {
        throw new IllegalArgumentException(
            "row "
                + (row + 1)
                + ": input '"
                + input.name()
                + "' has "
                + given.size()
                + " values (expected "
                + expected
                + ")");
      }
      elements[index] = given.size();
      values.get(index).addAll(given);
    }

    void endRow(ProfileBuilder builder) {
      row++;
      rows++;
      if (rows == chunkRows) {
        flush(builder);
      }
    }

    void flush(ProfileBuilder builder) {
      if (rows == 0) {
        return;
      }
      List<Tensor> tensors = new ArrayList<>(inputs.size());
      for (int i = 0; i < inputs.size(); i++) {
        tensors.add(tensor(inputs.get(i), values.get(i), rows, elements[i]));
        values.get(i).clear();
        if (inputs.get(i).elements() < 0) {
          elements[i] = -1;
        }
      }
      builder.add(tensors);
      rows = 0;
    }

    private Tensor tensor(Input input, List<String> given, int rowCount, int perRow) {
      long[] shape = {rowCount, perRow};
      if (input.bytes()) {
        List<byte[]> bytes = new ArrayList<>(given.size());
        given.forEach(value -> bytes.add(value.getBytes(StandardCharsets.UTF_8)));
        return Tensor.ofBytes(input.name(), shape, bytes);
      }
      ByteBuffer data = ByteBuffer.allocate(given.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (String value : given) {
        data.putFloat(number(input, value));
      }
      data.flip();
      return Tensor.of(input.name(), dev.infera.spi.DataType.FP32, shape, data);
    }

    private float number(Input input, String value) {
      try {
        return Float.parseFloat(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "input '" + input.name() + "': '" + value + "' is not a number (the input is numeric)");
      }
    }
  }
}
