package dev.infera.backend.onnxruntime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Output buffers ONNX Runtime writes into ("pinned outputs"), so that a run creates no output
 * objects of its own: ONNX Runtime's Java binding builds every output it allocates through several
 * native calls, about a third of a small model's call at batch 1 (docs/benchmarks.md, "Pinned
 * outputs").
 *
 * <p>An output is pinned when its shape is known before the run: each dimension fixed in the model,
 * or named like a dimension of an input ("batch") and then that input's size. The others (a
 * dimension named after no input's, or unnamed; strings; unsigned types; more than {@link
 * #MAX_KEPT_BYTES}) come back the ordinary way, in the same run. ONNX Runtime refuses a run whose
 * pinned output has another shape than the one it computes (a model whose declared dimension names
 * do not hold): the instance then runs that call again without pins and pins nothing from then on
 * ({@link #disable}).
 *
 * <p>The buffers are direct, one per output, grown to the largest output seen and kept. Outputs are
 * copied out before {@code execute} returns. Confined to one instance, as {@link
 * InputTensorFactory.Staging} is: the SPI never runs one instance's {@code execute} concurrently.
 */
final class PinnedOutputs {
  /**
   * The most bytes kept for one output (as for an input); a larger one comes back the ordinary way.
   */
  static final int MAX_KEPT_BYTES = InputTensorFactory.Staging.MAX_KEPT_BYTES;

  /** How each output's shape follows from the inputs' shapes: read once per model. */
  static final class Shapes {
    private final Map<String, String[]> inputDimensions;
    private final Map<String, Output> outputs;

    private record Output(DataType type, OnnxJavaType javaType, long[] dims, String[] names) {}

    private Shapes(Map<String, String[]> inputDimensions, Map<String, Output> outputs) {
      this.inputDimensions = inputDimensions;
      this.outputs = outputs;
    }

    /** The session's inputs' dimension names and its outputs that may be pinned. */
    static Shapes of(OrtSession session) throws OrtException {
      Map<String, String[]> inputs = new HashMap<>();
      for (NodeInfo node : session.getInputInfo().values()) {
        if (node.getInfo() instanceof TensorInfo info) {
          inputs.put(node.getName(), info.getDimensionNames());
        }
      }
      Map<String, Output> outputs = new HashMap<>();
      for (NodeInfo node : session.getOutputInfo().values()) {
        if (!(node.getInfo() instanceof TensorInfo info)) {
          continue;
        }
        DataType type = OnnxTypes.dataType(info.onnxType).orElse(null);
        OnnxJavaType javaType = type == null ? null : OnnxTypes.bufferType(type).orElse(null);
        if (javaType != null) {
          outputs.put(
              node.getName(),
              new Output(type, javaType, info.getShape(), info.getDimensionNames()));
        }
      }
      return new Shapes(Map.copyOf(inputs), Map.copyOf(outputs));
    }

    /** The sizes of the inputs' named dimensions in this call; -1 for a name sized two ways. */
    private Map<String, Long> namedSizes(List<Tensor> inputs) {
      Map<String, Long> sizes = new HashMap<>();
      for (Tensor input : inputs) {
        String[] names = inputDimensions.get(input.name());
        long[] shape = input.shape();
        if (names == null || names.length != shape.length) {
          continue;
        }
        for (int i = 0; i < names.length; i++) {
          if (!names[i].isEmpty()) {
            sizes.merge(names[i], shape[i], (a, b) -> a.equals(b) ? a : -1L);
          }
        }
      }
      return sizes;
    }

    /** The output's shape in this call, or null when it is not known before the run. */
    private long[] shape(Output output, Map<String, Long> sizes) {
      long[] shape = new long[output.dims().length];
      for (int i = 0; i < shape.length; i++) {
        long dim = output.dims()[i];
        if (dim < 0) {
          Long named = output.names()[i].isEmpty() ? null : sizes.get(output.names()[i]);
          if (named == null || named < 0) {
            return null;
          }
          dim = named;
        }
        shape[i] = dim;
      }
      return shape;
    }
  }

  /** One pinned output of a call: the tensor ONNX Runtime writes, over {@code data}. */
  record Pin(OnnxTensor tensor, ByteBuffer data, DataType type, long[] shape) {}

  private final OrtEnvironment env;
  private final Shapes shapes;
  private final Map<String, ByteBuffer> buffers = new HashMap<>();
  private boolean disabled;
  private long read;

  PinnedOutputs(OrtEnvironment env, Shapes shapes) {
    this.env = env;
    this.shapes = shapes;
  }

  /**
   * Tensors over this instance's buffers for the requested outputs whose shapes are known; the
   * caller closes them (after reading them with {@link #read}). Empty when none can be pinned.
   */
  Map<String, Pin> pin(List<Tensor> inputs, List<String> outputNames) throws OrtException {
    if (disabled) {
      return Map.of();
    }
    Map<String, Pin> pins = new LinkedHashMap<>();
    Map<String, Long> sizes = null;
    try {
      for (String name : outputNames) {
        Shapes.Output output = shapes.outputs.get(name);
        if (output == null || pins.containsKey(name)) {
          continue;
        }
        if (sizes == null) {
          sizes = shapes.namedSizes(inputs);
        }
        long[] shape = shapes.shape(output, sizes);
        long bytes = shape == null ? 0 : byteSize(shape, output.type());
        if (bytes <= 0 || bytes > MAX_KEPT_BYTES) {
          continue;
        }
        ByteBuffer data = buffer(name, (int) bytes);
        if (data == null) {
          continue;
        }
        pins.put(
            name,
            new Pin(
                OnnxTensor.createTensor(env, data, shape, output.javaType()),
                data,
                output.type(),
                shape));
      }
    } catch (OrtException | RuntimeException e) {
      close(pins);
      throw e;
    }
    return pins;
  }

  /** A pinned output after the run, copied out of the kept buffer. */
  Tensor read(String name, Pin pin) {
    read++;
    ByteBuffer copy =
        ByteBuffer.allocate(pin.data().capacity())
            .order(ByteOrder.LITTLE_ENDIAN)
            .put(pin.data().duplicate().clear())
            .flip();
    return Tensor.of(name, pin.type(), pin.shape().clone(), copy);
  }

  /** Pins nothing from now on (ONNX Runtime computed another shape than a pinned one). */
  void disable() {
    disabled = true;
    buffers.clear();
  }

  boolean disabled() {
    return disabled;
  }

  /** How many outputs were returned from kept buffers. */
  long pinnedOutputsRead() {
    return read;
  }

  static void close(Map<String, Pin> pins) {
    pins.values().forEach(pin -> pin.tensor().close());
  }

  /**
   * The first {@code bytes} of the output's kept buffer, grown when too small; null when the JVM's
   * direct memory (-XX:MaxDirectMemorySize) has no room: ONNX Runtime then allocates the output in
   * its own memory, as without pins.
   */
  private ByteBuffer buffer(String name, int bytes) {
    ByteBuffer buffer = buffers.get(name);
    if (buffer == null || buffer.capacity() < bytes) {
      buffers.remove(name);
      try {
        buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
      } catch (OutOfMemoryError noDirectMemory) {
        return null;
      }
      buffers.put(name, buffer);
    }
    return buffer.duplicate().clear().limit(bytes).slice().order(ByteOrder.nativeOrder());
  }

  /** The shape's bytes, or -1 when it does not fit a long. */
  private static long byteSize(long[] shape, DataType type) {
    try {
      long bytes = type.byteSize();
      for (long dim : shape) {
        bytes = Math.multiplyExact(bytes, dim);
      }
      return bytes;
    } catch (ArithmeticException e) {
      return -1;
    }
  }
}
