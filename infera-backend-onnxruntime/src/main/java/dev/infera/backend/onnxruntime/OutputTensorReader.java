package dev.infera.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies ONNX Runtime outputs into Infera {@link Tensor}s, so the native result can be released.
 *
 * <p>Fixed-size types are copied once, byte for byte, into a little-endian heap buffer; unsigned
 * and 16-bit float types keep their bit patterns. String tensors become one UTF-8 {@code byte[]}
 * per element. Stateless and thread-safe.
 */
final class OutputTensorReader {
  private OutputTensorReader() {}

  /** Reads output {@code name}; the value stays owned by the caller's result. */
  static Tensor read(String name, OnnxValue value) throws OrtException {
    if (!(value instanceof OnnxTensor tensor)) {
      throw new InferenceException(
          ErrorCode.UNIMPLEMENTED,
          "output '" + name + "' is a " + value.getType() + " (expected: a tensor)");
    }
    TensorInfo info = tensor.getInfo();
    DataType type =
        OnnxTypes.dataType(info.onnxType)
            .orElseThrow(
                () ->
                    new InferenceException(
                        ErrorCode.UNIMPLEMENTED,
                        "output '"
                            + name
                            + "' has element type "
                            + info.onnxType
                            + ", which the inference protocol has no datatype for"));
    long[] shape = info.getShape();
    if (type == DataType.BYTES) {
      return Tensor.ofBytes(name, shape, utf8Elements(tensor.getValue()));
    }
    if (info.getNumElements() == 0) {
      return Tensor.of(name, type, shape, ByteBuffer.allocate(0));
    }
    // A heap copy in native order, which OnnxRuntimeBackend checks is little-endian.
    ByteBuffer copy = tensor.getByteBuffer();
    return Tensor.of(name, type, shape, copy.order(ByteOrder.LITTLE_ENDIAN));
  }

  /** Flattens the (possibly nested) String array ONNX Runtime returns, row-major. */
  private static List<byte[]> utf8Elements(Object value) {
    List<byte[]> elements = new ArrayList<>();
    flatten(value, elements);
    return elements;
  }

  private static void flatten(Object value, List<byte[]> into) {
    if (value instanceof String string) {
      into.add(string.getBytes(StandardCharsets.UTF_8));
      return;
    }
    int length = Array.getLength(value);
    for (int i = 0; i < length; i++) {
      flatten(Array.get(value, i), into);
    }
  }
}
