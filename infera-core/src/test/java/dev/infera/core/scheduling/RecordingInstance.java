package dev.infera.core.scheduling;

import dev.infera.spi.DataType;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A model instance standing in for a backend: output {@code ID_OUT} echoes the BYTES input {@code
 * ID}, output {@code Y} is twice the FP32 input {@code X}. Records the {@code ID} of every row of
 * every batch it executed, and the threads it ran on. Thread-safe.
 */
final class RecordingInstance implements ModelInstance {
  private final List<List<String>> batches = new CopyOnWriteArrayList<>();
  private final List<String> threadNames = new CopyOnWriteArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();
  private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
  private volatile Consumer<List<String>> duringExecute = batch -> {};
  private volatile boolean dropLastRowOfY;
  private volatile String refusedId;

  @Override
  public List<Tensor> execute(List<Tensor> inputs, List<String> outputNames) {
    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      Tensor ids = find(inputs, "ID");
      List<String> rows = new ArrayList<>();
      ids.elements().forEach(id -> rows.add(new String(id, StandardCharsets.UTF_8)));
      batches.add(List.copyOf(rows));
      threadNames.add(Thread.currentThread().getName());
      duringExecute.accept(rows);
      if (!failures.isEmpty()) {
        throw failures.remove(0);
      }
      if (refusedId != null && rows.contains(refusedId)) {
        throw new IllegalStateException(
            "row " + refusedId + " holds a value the model cannot take");
      }
      List<Tensor> outputs = new ArrayList<>();
      for (String name : outputNames) {
        outputs.add(name.equals("ID_OUT") ? ids.withName("ID_OUT") : doubled(find(inputs, "X")));
      }
      return outputs;
    } finally {
      running.decrementAndGet();
    }
  }

  private Tensor doubled(Tensor x) {
    long[] shape = x.shape();
    if (dropLastRowOfY) {
      shape[0]--;
    }
    int count = Math.toIntExact(Tensor.elementCount(shape));
    ByteBuffer in = x.data();
    ByteBuffer out = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      out.putFloat(2 * in.getFloat());
    }
    out.flip();
    return Tensor.of("Y", DataType.FP32, shape, out);
  }

  private static Tensor find(List<Tensor> inputs, String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  /** The IDs of the rows of each batch executed, in execution order. */
  List<List<String>> executedBatches() {
    return List.copyOf(batches);
  }

  List<String> threadNames() {
    return List.copyOf(threadNames);
  }

  /** The most executions that ever ran at once on this instance. */
  int mostConcurrentExecutions() {
    return mostRunning.get();
  }

  /** The next execution throws {@code failure}. */
  void failNext(RuntimeException failure) {
    failures.add(failure);
  }

  /** Runs {@code action} inside every execution, given the batch's row IDs. */
  void duringExecute(Consumer<List<String>> action) {
    this.duringExecute = action;
  }

  /** From now on, every execution containing a row with this ID fails, as poisoned data does. */
  void refuseRowsOf(String id) {
    this.refusedId = id;
  }

  /** From now on, output Y lacks the batch's last row. */
  void dropLastRowOfY() {
    this.dropLastRowOfY = true;
  }

  @Override
  public void close() {}
}
