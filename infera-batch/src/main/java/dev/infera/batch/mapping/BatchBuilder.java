package dev.infera.batch.mapping;

import dev.infera.batch.io.SourceRow;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Converts rows into the input tensors of one batch. A row is added whole or not at all: a value
 * that does not convert rejects the row and leaves the batch as it was. Values the model does not
 * take (infinities for XGBoost) are left to the engine's validation, which the job answers by
 * rejecting the row with the engine's reason. Single-threaded.
 */
public final class BatchBuilder {
  private final ColumnMapping mapping;
  private final int expectedValues;
  private final int capacity;
  private final ByteBuffer[] buffers;
  private final List<List<byte[]>> strings;
  private final List<Object> ids;
  private final List<SourceRow> rows;

  /**
   * @param mapping the columns of each input
   * @param expectedValues the number of values each row must have (the header's column count)
   * @param capacity the most rows of a batch (the model's {@code max_batch_size})
   */
  public BatchBuilder(ColumnMapping mapping, int expectedValues, int capacity) {
    this.mapping = mapping;
    this.expectedValues = expectedValues;
    this.capacity = capacity;
    this.buffers = new ByteBuffer[mapping.inputs().size()];
    this.strings = new ArrayList<>();
    for (int i = 0; i < buffers.length; i++) {
      strings.add(new ArrayList<>());
    }
    this.ids = new ArrayList<>(capacity);
    this.rows = new ArrayList<>(capacity);
    reset();
  }

  private void reset() {
    for (int i = 0; i < buffers.length; i++) {
      InputBinding input = mapping.inputs().get(i);
      if (input.dataType() == DataType.BYTES) {
        strings.set(i, new ArrayList<>(capacity * input.width()));
      } else {
        buffers[i] =
            ByteBuffer.allocate(capacity * input.width() * input.dataType().byteSize())
                .order(ByteOrder.LITTLE_ENDIAN);
      }
    }
    ids.clear();
    rows.clear();
  }

  /**
   * A step for the thread that reads rows ({@link dev.infera.batch.io.ReadAhead}, while the job
   * thread is behind; {@link #add} gives the same batch for a row parsed or not): the text of each
   * column that feeds only FP32 inputs, or only FP64 ones, parsed into a {@code Float} or {@code
   * Double} (an array column's items too) exactly as {@link #add} would parse it, so that the job
   * thread only copies. Text that does not parse stays text, for {@link #add} to reject with its
   * reason; the id column and every other column are left as read. Changes the row's own values
   * array, which belongs to the reading thread until the row is handed over. No state: safe on
   * another thread.
   */
  public static UnaryOperator<SourceRow> parsingAhead(ColumnMapping mapping) {
    Map<Integer, DataType> types = new TreeMap<>();
    Set<Integer> mixed = new HashSet<>();
    for (InputBinding input : mapping.inputs()) {
      for (int column : input.columns()) {
        DataType earlier = types.putIfAbsent(column, input.dataType());
        if (earlier != null && earlier != input.dataType()) {
          mixed.add(column);
        }
      }
    }
    types.keySet().removeAll(mixed);
    types.keySet().remove(mapping.idColumn());
    types.values().removeIf(type -> type != DataType.FP32 && type != DataType.FP64);
    if (types.isEmpty()) {
      return UnaryOperator.identity();
    }
    int[] columns = types.keySet().stream().mapToInt(Integer::intValue).toArray();
    boolean[] asFloat = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      asFloat[i] = types.get(columns[i]) == DataType.FP32;
    }
    return row -> {
      Object[] values = row.values();
      if (values != null) {
        for (int i = 0; i < columns.length; i++) {
          if (columns[i] < values.length) {
            values[columns[i]] = parsed(values[columns[i]], asFloat[i]);
          }
        }
      }
      return row;
    };
  }

  private static Object parsed(Object value, boolean asFloat) {
    if (value instanceof String text) {
      try {
        double number = ValueParsing.toDouble(text, asFloat);
        return asFloat ? (Object) (float) number : (Object) number;
      } catch (NumberFormatException notANumber) {
        return value; // rejected on the job thread, with its reason
      }
    }
    if (value instanceof List<?> items) {
      List<Object> out = new ArrayList<>(items.size());
      for (Object item : items) {
        out.add(parsed(item, asFloat));
      }
      return out;
    }
    return value;
  }

  public int size() {
    return rows.size();
  }

  public boolean isFull() {
    return rows.size() == capacity;
  }

  /**
   * Adds a row.
   *
   * @param id the row's id value
   * @throws RowRejected naming the value that does not convert and what was expected
   */
  public void add(SourceRow row, Object id) throws RowRejected {
    if (row.values() == null) {
      throw new RowRejected(row.error());
    }
    if (row.values().length != expectedValues) {
      throw new RowRejected(
          "has " + row.values().length + " values (expected " + expectedValues + ", one a column)");
    }
    int[] positions = new int[buffers.length];
    for (int i = 0; i < buffers.length; i++) {
      positions[i] = buffers[i] == null ? strings.get(i).size() : buffers[i].position();
    }
    try {
      for (int i = 0; i < buffers.length; i++) {
        convert(mapping.inputs().get(i), row.values(), i);
      }
    } catch (RowRejected e) {
      for (int i = 0; i < buffers.length; i++) {
        if (buffers[i] == null) {
          List<byte[]> list = strings.get(i);
          list.subList(positions[i], list.size()).clear();
        } else {
          buffers[i].position(positions[i]);
        }
      }
      throw e;
    }
    ids.add(id);
    rows.add(row);
  }

  private void convert(InputBinding input, Object[] values, int slot) throws RowRejected {
    if (input.arrayColumn()) {
      Object value = values[input.columns()[0]];
      if (value instanceof List<?> list) {
        if (list.size() != input.width()) {
          throw new RowRejected(
              "column '"
                  + input.names()[0]
                  + "' holds "
                  + list.size()
                  + " values (expected "
                  + input.width()
                  + " for input '"
                  + input.input()
                  + "')");
        }
        for (Object item : list) {
          put(input, slot, item, input.names()[0]);
        }
        return;
      }
      if (input.width() != 1) {
        throw new RowRejected(
            "column '"
                + input.names()[0]
                + "' holds "
                + describe(value)
                + " (expected an array of "
                + input.width()
                + " values for input '"
                + input.input()
                + "')");
      }
      put(input, slot, value, input.names()[0]);
      return;
    }
    int[] columns = input.columns();
    for (int c = 0; c < columns.length; c++) {
      put(input, slot, values[columns[c]], input.names()[c]);
    }
  }

  private void put(InputBinding input, int slot, Object value, String column) throws RowRejected {
    if (value == null
        || (input.dataType() != DataType.BYTES && value instanceof String s && s.isBlank())) {
      throw new RowRejected("column '" + column + "' is empty (expected " + expected(input) + ")");
    }
    if (input.dataType() == DataType.BYTES) {
      strings.get(slot).add(bytes(value));
      return;
    }
    ByteBuffer buffer = buffers[slot];
    try {
      switch (input.dataType()) {
        case FP32 -> buffer.putFloat((float) ValueParsing.toDouble(value, true));
        case FP64 -> buffer.putDouble(ValueParsing.toDouble(value, false));
        case INT8 -> buffer.put((byte) ValueParsing.toLong(value, Byte.MIN_VALUE, Byte.MAX_VALUE));
        case UINT8 -> buffer.put((byte) ValueParsing.toLong(value, 0, 255));
        case INT16 ->
            buffer.putShort((short) ValueParsing.toLong(value, Short.MIN_VALUE, Short.MAX_VALUE));
        case UINT16 -> buffer.putShort((short) ValueParsing.toLong(value, 0, 65535));
        case INT32 ->
            buffer.putInt((int) ValueParsing.toLong(value, Integer.MIN_VALUE, Integer.MAX_VALUE));
        case UINT32 -> buffer.putInt((int) ValueParsing.toLong(value, 0, 0xFFFF_FFFFL));
        case INT64 -> buffer.putLong(ValueParsing.toLong(value, Long.MIN_VALUE, Long.MAX_VALUE));
        case BOOL -> buffer.put((byte) (ValueParsing.toBoolean(value) ? 1 : 0));
        default -> throw new IllegalStateException("unsupported " + input.dataType());
      }
    } catch (NumberFormatException e) {
      throw new RowRejected(
          "column '"
              + column
              + "' holds "
              + describe(value)
              + " (expected "
              + expected(input)
              + ")");
    }
  }

  private static byte[] bytes(Object value) {
    if (value instanceof byte[] raw) {
      return raw;
    }
    return value.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String expected(InputBinding input) {
    return switch (input.dataType()) {
      case FP32, FP64 -> "a " + input.dataType() + " number for input '" + input.input() + "'";
      case BOOL -> "true or false for input '" + input.input() + "'";
      default -> "an " + input.dataType() + " integer for input '" + input.input() + "'";
    };
  }

  private static String describe(Object value) {
    if (value instanceof String text) {
      String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
      return "'" + shown + "'";
    }
    return value instanceof List<?> ? "an array" : String.valueOf(value);
  }

  /** The batch built so far, as the model's input tensors; the builder starts a new batch. */
  public Batch take() {
    int n = rows.size();
    List<Tensor> tensors = new ArrayList<>(buffers.length);
    for (int i = 0; i < buffers.length; i++) {
      InputBinding input = mapping.inputs().get(i);
      long[] shape = input.batchShape(n);
      if (buffers[i] == null) {
        tensors.add(Tensor.ofBytes(input.input(), shape, strings.get(i)));
      } else {
        tensors.add(Tensor.of(input.input(), input.dataType(), shape, buffers[i].flip()));
      }
    }
    Batch batch = new Batch(tensors, List.copyOf(ids), List.copyOf(rows));
    reset();
    return batch;
  }

  /**
   * One batch's inputs and the rows they came from.
   *
   * @param inputs the input tensors, batch dimension first
   * @param ids each row's id value
   * @param rows the source rows, for reject records
   * @param release called once the batch's answers are written: its input buffers may be reused
   */
  public record Batch(
      List<Tensor> inputs, List<Object> ids, List<SourceRow> rows, Runnable release) {
    public Batch(List<Tensor> inputs, List<Object> ids, List<SourceRow> rows) {
      this(inputs, ids, rows, () -> {});
    }

    public int size() {
      return rows.size();
    }
  }
}
