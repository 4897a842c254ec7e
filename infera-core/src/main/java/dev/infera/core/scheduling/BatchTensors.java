package dev.infera.core.scheduling;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins the inputs of a batch's requests along the batch dimension and splits the outputs back.
 *
 * <p>Joined inputs are fresh heap buffers, one per input per batch, never reused: the SPI lets an
 * instance keep or return its input tensors (an identity model may hand its input back as output),
 * so a reused buffer could change a response still being sent. Heap, not direct: a fresh direct
 * buffer is zero-filled by the JVM and its pages mapped by the kernel on first touch, about 2 ms
 * per 600 KB on the 2-core benchmark machine, while a heap array comes from memory the collector
 * already holds; a native runtime copies the batch into a direct buffer it keeps (ONNX Runtime's
 * {@code InputTensorFactory.Staging}). A batch of one request passes its tensors through untouched.
 * Split outputs are views of the instance's output buffers, no copy.
 */
final class BatchTensors {
  private BatchTensors() {}

  /** One tensor per input, rows of every request in batch order; inputs sorted by name. */
  static List<Tensor> join(List<QueuedRequest> batch) {
    QueuedRequest first = batch.get(0);
    int inputCount = first.sortedInputs.length;
    List<Tensor> joined = new ArrayList<>(inputCount);
    for (int i = 0; i < inputCount; i++) {
      joined.add(join(batch, i));
    }
    return joined;
  }

  private static Tensor join(List<QueuedRequest> batch, int index) {
    Tensor first = batch.get(0).sortedInputs[index];
    long[] shape = first.shape();
    long rows = 0;
    for (QueuedRequest request : batch) {
      rows += request.sortedInputs[index].dim(0);
    }
    shape[0] = rows;
    if (first.dataType() == DataType.BYTES) {
      List<byte[]> elements = new ArrayList<>(Math.toIntExact(Tensor.elementCount(shape)));
      for (QueuedRequest request : batch) {
        elements.addAll(request.sortedInputs[index].elements());
      }
      return Tensor.ofBytes(first.name(), shape, elements);
    }
    long bytes = Tensor.elementCount(shape) * first.dataType().byteSize();
    ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    for (QueuedRequest request : batch) {
      data.put(request.sortedInputs[index].data());
    }
    data.flip();
    return Tensor.of(first.name(), first.dataType(), shape, data);
  }

  /**
   * Each request's own rows of each output it asked for, in its order.
   *
   * @param outputs what the instance returned for {@code outputNames}
   * @param outputNames the outputs the batch asked for: the first request's
   * @param rows the rows of the whole batch; every output's first dimension must equal it
   * @param label names the model version in messages
   */
  static List<List<Tensor>> split(
      List<Tensor> outputs,
      List<String> outputNames,
      List<QueuedRequest> batch,
      int rows,
      String label) {
    for (Tensor output : outputs) {
      if (output.rank() == 0 || output.dim(0) != rows) {
        throw new InferenceException(
            ErrorCode.INTERNAL,
            label
                + ": output '"
                + output.name()
                + "' has "
                + (output.rank() == 0 ? "no batch dimension" : "batch dimension " + output.dim(0))
                + " (expected "
                + rows
                + ", the rows of the batch)");
      }
    }
    List<List<Tensor>> perRequest = new ArrayList<>(batch.size());
    long start = 0;
    for (QueuedRequest request : batch) {
      List<String> wanted = request.request.outputNames();
      List<Tensor> own = new ArrayList<>(wanted.size());
      for (String name : wanted) {
        own.add(rowsOf(outputs.get(outputNames.indexOf(name)), start, request.rows()));
      }
      perRequest.add(own);
      start += request.rows();
    }
    return perRequest;
  }

  private static Tensor rowsOf(Tensor output, long start, int count) {
    long[] shape = output.shape();
    long perRow = Tensor.elementCount(shape) / shape[0];
    shape[0] = count;
    int from = Math.toIntExact(start * perRow);
    int to = Math.toIntExact((start + count) * perRow);
    if (output.dataType() == DataType.BYTES) {
      return Tensor.ofBytes(output.name(), shape, output.elements().subList(from, to));
    }
    int size = output.dataType().byteSize();
    ByteBuffer data = output.data();
    data.position(from * size).limit(to * size);
    return Tensor.of(output.name(), output.dataType(), shape, data);
  }
}
