package dev.infera.backend.onnxruntime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns Infera {@link Tensor}s into ONNX Runtime input tensors.
 *
 * <p>Fixed-size types: a direct buffer is handed to ONNX Runtime as is, without a copy (the
 * tensor's little-endian bytes are the native layout on every platform ONNX Runtime Java ships
 * for); a heap buffer is copied once into direct memory, which native code needs. BYTES: each
 * element is decoded as UTF-8 into a Java string, the only way ONNX Runtime Java builds string
 * tensors; an element that is not valid UTF-8 is rejected.
 *
 * <p>The caller owns every tensor returned and must close it. Stateless and thread-safe.
 */
final class InputTensorFactory {
  private final OrtEnvironment env;

  InputTensorFactory(OrtEnvironment env) {
    this.env = env;
  }

  /** Creates the ONNX Runtime tensor for {@code tensor}; the caller closes it. */
  OnnxTensor create(Tensor tensor) throws OrtException {
    DataType type = tensor.dataType();
    long[] shape = tensor.shape();
    if (type == DataType.BYTES) {
      return OnnxTensor.createTensor(env, strings(tensor), shape);
    }
    ByteBuffer data = direct(tensor.data());
    OnnxJavaType javaType = OnnxTypes.bufferType(type).orElse(null);
    if (javaType != null) {
      return OnnxTensor.createTensor(env, data, shape, javaType);
    }
    return UnsignedTensorFactory.create(env, tensor.name(), data, shape, OnnxTypes.onnxType(type));
  }

  /**
   * The data in direct memory: as is when already direct, else copied once. (ONNX Runtime 1.28's
   * own copy of a heap {@code ByteBuffer} fails for types wider than a byte, so it is done here.)
   */
  private static ByteBuffer direct(ByteBuffer data) {
    if (data.isDirect()) {
      return data;
    }
    ByteBuffer copy = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
    copy.put(data.duplicate()).flip();
    return copy;
  }

  private static String[] strings(Tensor tensor) {
    List<byte[]> elements = tensor.elements();
    String[] strings = new String[elements.size()];
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    for (int i = 0; i < strings.length; i++) {
      try {
        strings[i] = decoder.decode(ByteBuffer.wrap(elements.get(i))).toString();
      } catch (CharacterCodingException e) {
        throw new InferenceException(
            ErrorCode.INVALID_ARGUMENT,
            "input '"
                + tensor.name()
                + "': element "
                + i
                + " is not valid UTF-8 (expected: UTF-8 text, as ONNX string tensors hold)");
      }
    }
    return strings;
  }
}
