package dev.infera.batch.mapping;

import dev.infera.batch.io.ColumnChunk;
import dev.infera.batch.io.ColumnKind;
import dev.infera.batch.io.SourceRow;
import dev.infera.batch.mapping.BatchBuilder.Batch;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Builds batches from column chunks without boxing a value: each chunk's mapped columns are copied
 * once into row-major arrays, and runs of complete rows go into the batch's tensors in bulk. It
 * takes the common case only — FP32 and FP64 inputs fed by FLOAT or DOUBLE columns, an id column of
 * BIGINT, INTEGER or VARCHAR (or none); {@link #of} says when. A row holding a null is marked
 * {@link #complete incomplete}: its owner sends it through {@link BatchBuilder}, which rejects it
 * with the same reason as ever. The values it writes are the row path's, bit for bit.
 * Single-threaded.
 */
public final class ColumnarBatchBuilder {
  private final ColumnMapping mapping;
  private final int columnCount;
  private final int capacity;
  private final int[] needed;
  private final float[][] floats;
  private final double[][] doubles;
  private final ByteBuffer[] batch;
  private final ArrayDeque<ByteBuffer[]> released = new ArrayDeque<>();
  private Object[] chunkIds = new Object[0];
  private boolean[] nulls = new boolean[0];
  private ColumnChunk loaded;
  private Object[] ids;
  private String[] files;
  private long[] rowNumbers;
  private int size;

  private ColumnarBatchBuilder(ColumnMapping mapping, int columnCount, int capacity) {
    this.mapping = mapping;
    this.columnCount = columnCount;
    this.capacity = capacity;
    int inputs = mapping.inputs().size();
    this.floats = new float[inputs][];
    this.doubles = new double[inputs][];
    this.batch = new ByteBuffer[inputs];
    List<Integer> columns = new ArrayList<>();
    if (mapping.idColumn() >= 0) {
      columns.add(mapping.idColumn());
    }
    for (InputBinding input : mapping.inputs()) {
      Arrays.stream(input.columns()).forEach(columns::add);
    }
    this.needed = columns.stream().mapToInt(Integer::intValue).distinct().toArray();
    reset();
  }

  /**
   * A builder when every input can be fed columnar from columns of these kinds; empty when the row
   * path is needed (BYTES or integer inputs, array or text feature columns, an id that is not
   * BIGINT, INTEGER or VARCHAR).
   *
   * @param columnCount the file's number of columns
   * @param capacity the most rows of a batch (the model's {@code max_batch_size})
   */
  public static Optional<ColumnarBatchBuilder> of(
      ColumnMapping mapping, List<ColumnKind> kinds, int capacity) {
    if (mapping.idColumn() >= 0
        && kinds.get(mapping.idColumn()) != ColumnKind.BIGINT
        && kinds.get(mapping.idColumn()) != ColumnKind.INTEGER
        && kinds.get(mapping.idColumn()) != ColumnKind.VARCHAR) {
      return Optional.empty();
    }
    for (InputBinding input : mapping.inputs()) {
      if (input.dataType() != DataType.FP32 && input.dataType() != DataType.FP64) {
        return Optional.empty();
      }
      if (input.columns().length != input.width()) {
        return Optional.empty();
      }
      for (int column : input.columns()) {
        ColumnKind kind = kinds.get(column);
        if (kind != ColumnKind.FLOAT && kind != ColumnKind.DOUBLE) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(new ColumnarBatchBuilder(mapping, kinds.size(), capacity));
  }

  /**
   * Buffers for the next batch: direct, which native backends take without a copy; those of a batch
   * whose answers are written are reused (its tensors are no longer read by then).
   */
  private void reset() {
    ByteBuffer[] reused = released.poll();
    for (int i = 0; i < batch.length; i++) {
      InputBinding input = mapping.inputs().get(i);
      batch[i] =
          reused != null
              ? reused[i].clear()
              : ByteBuffer.allocateDirect(capacity * input.width() * input.dataType().byteSize())
                  .order(ByteOrder.LITTLE_ENDIAN);
    }
    ids = new Object[capacity];
    files = new String[capacity];
    rowNumbers = new long[capacity];
    size = 0;
  }

  /** Copies a chunk's mapped columns (once per chunk; later calls with the same chunk return). */
  public void load(ColumnChunk chunk) {
    if (chunk == loaded) {
      return;
    }
    int rows = chunk.size();
    if (nulls.length < rows) {
      nulls = new boolean[rows];
      chunkIds = new Object[rows];
    } else {
      Arrays.fill(nulls, 0, rows, false);
    }
    if (mapping.idColumn() >= 0) {
      chunk.copyIds(mapping.idColumn(), chunkIds, nulls);
    }
    for (int i = 0; i < batch.length; i++) {
      InputBinding input = mapping.inputs().get(i);
      int width = input.width();
      int[] columns = input.columns();
      if (input.dataType() == DataType.FP32) {
        if (floats[i] == null || floats[i].length < rows * width) {
          floats[i] = new float[rows * width];
        }
        for (int c = 0; c < columns.length; c++) {
          chunk.copyFloats(columns[c], floats[i], c, width, nulls);
        }
      } else {
        if (doubles[i] == null || doubles[i].length < rows * width) {
          doubles[i] = new double[rows * width];
        }
        for (int c = 0; c < columns.length; c++) {
          chunk.copyDoubles(columns[c], doubles[i], c, width, nulls);
        }
      }
    }
    loaded = chunk;
  }

  /** Whether a row of the loaded chunk has every mapped value (else it takes the row path). */
  public boolean complete(int row) {
    return !nulls[row];
  }

  /** A row of the loaded chunk as the row path reads it (mapped columns and id only). */
  public SourceRow sourceRow(int row) {
    return loaded.row(row, columnCount, needed);
  }

  /**
   * Adds complete rows {@code from .. to-1} of the loaded chunk, as many as fit.
   *
   * @param firstNumber the job row number of row {@code from}, its id when there is no id column
   * @return the number of rows added
   */
  public int add(int from, int to, long firstNumber) {
    int n = Math.min(to - from, capacity - size);
    for (int i = 0; i < batch.length; i++) {
      int width = mapping.inputs().get(i).width();
      if (floats[i] != null) {
        batch[i].asFloatBuffer().position(size * width).put(floats[i], from * width, n * width);
      } else {
        batch[i].asDoubleBuffer().position(size * width).put(doubles[i], from * width, n * width);
      }
    }
    for (int r = 0; r < n; r++) {
      ids[size + r] = mapping.idColumn() >= 0 ? chunkIds[from + r] : firstNumber + r;
      files[size + r] = loaded.file();
      rowNumbers[size + r] = loaded.firstRow() + from + r;
    }
    size += n;
    return n;
  }

  public int size() {
    return size;
  }

  public boolean isFull() {
    return size == capacity;
  }

  /** The batch built so far; the builder starts a new one. */
  public Batch take() {
    int n = size;
    List<Tensor> tensors = new ArrayList<>(batch.length);
    for (int i = 0; i < batch.length; i++) {
      InputBinding input = mapping.inputs().get(i);
      long[] shape = input.batchShape(n);
      ByteBuffer data = batch[i].limit(n * input.width() * input.dataType().byteSize());
      tensors.add(Tensor.of(input.input(), input.dataType(), shape, data));
    }
    ByteBuffer[] buffers = batch.clone();
    Batch taken =
        new Batch(
            tensors, new Ids(ids, n), new Rows(files, rowNumbers, n), () -> released.add(buffers));
    reset();
    return taken;
  }

  /** A batch's ids. */
  private static final class Ids extends AbstractList<Object> {
    private final Object[] ids;
    private final int size;

    Ids(Object[] ids, int size) {
      this.ids = ids;
      this.size = size;
    }

    @Override
    public Object get(int index) {
      return ids[index];
    }

    @Override
    public int size() {
      return size;
    }
  }

  /**
   * A batch's source rows, made when read (a rejected row's record needs its file and row number
   * only; its values are not kept).
   */
  private static final class Rows extends AbstractList<SourceRow> {
    private final String[] files;
    private final long[] numbers;
    private final int size;

    Rows(String[] files, long[] numbers, int size) {
      this.files = files;
      this.numbers = numbers;
      this.size = size;
    }

    @Override
    public SourceRow get(int index) {
      return SourceRow.of(files[index], numbers[index], 0, new Object[0]);
    }

    @Override
    public int size() {
      return size;
    }
  }
}
