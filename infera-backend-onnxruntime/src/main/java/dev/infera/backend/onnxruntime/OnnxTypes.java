package dev.infera.backend.onnxruntime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps between ONNX element types and Infera's {@link DataType}s, and reads a session's signature.
 *
 * <p>ONNX types without a protocol counterpart (complex, float8, 4-bit integers) have no mapping; a
 * model that uses one in its inputs or outputs fails to load.
 */
final class OnnxTypes {
  private OnnxTypes() {}

  /** The protocol type of an ONNX element type, if the protocol has one. */
  static Optional<DataType> dataType(OnnxTensorType onnxType) {
    return Optional.ofNullable(
        switch (onnxType) {
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DataType.BOOL;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DataType.UINT8;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> DataType.UINT16;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> DataType.UINT32;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> DataType.UINT64;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DataType.INT8;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> DataType.INT16;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DataType.INT32;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DataType.INT64;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> DataType.FP16;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DataType.FP32;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DataType.FP64;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> DataType.BF16;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> DataType.BYTES;
          default -> null;
        });
  }

  /**
   * The ONNX element type of a protocol type. Every {@link DataType} has one; {@link
   * DataType#BYTES} is the ONNX string type.
   */
  static OnnxTensorType onnxType(DataType type) {
    return switch (type) {
      case BOOL -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL;
      case UINT8 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8;
      case UINT16 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16;
      case UINT32 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32;
      case UINT64 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64;
      case INT8 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8;
      case INT16 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16;
      case INT32 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32;
      case INT64 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64;
      case FP16 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16;
      case FP32 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
      case FP64 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE;
      case BF16 -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16;
      case BYTES -> OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING;
    };
  }

  /**
   * The Java-side type ONNX Runtime's public buffer API accepts for a fixed-size protocol type, or
   * empty for the unsigned 16-, 32- and 64-bit types, which that API cannot create (see {@link
   * UnsignedTensorFactory}).
   */
  static Optional<OnnxJavaType> bufferType(DataType type) {
    return Optional.ofNullable(
        switch (type) {
          case BOOL -> OnnxJavaType.BOOL;
          case UINT8 -> OnnxJavaType.UINT8;
          case INT8 -> OnnxJavaType.INT8;
          case INT16 -> OnnxJavaType.INT16;
          case INT32 -> OnnxJavaType.INT32;
          case INT64 -> OnnxJavaType.INT64;
          case FP16 -> OnnxJavaType.FLOAT16;
          case FP32 -> OnnxJavaType.FLOAT;
          case FP64 -> OnnxJavaType.DOUBLE;
          case BF16 -> OnnxJavaType.BFLOAT16;
          case UINT16, UINT32, UINT64, BYTES -> null;
        });
  }

  /**
   * Reads the inputs and outputs a session declares, in the model's order. Symbolic and unknown
   * dimensions become -1.
   *
   * @throws InferenceException {@link ErrorCode#UNIMPLEMENTED} when an input or output is not a
   *     tensor or has an element type the protocol lacks
   */
  static ModelSignature signature(OrtSession session, String file) throws OrtException {
    return new ModelSignature(
        specs(session.getInputInfo(), "input", file),
        specs(session.getOutputInfo(), "output", file));
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> infos, String role, String file) {
    List<TensorSpec> specs = new ArrayList<>(infos.size());
    for (NodeInfo node : infos.values()) {
      if (!(node.getInfo() instanceof TensorInfo info)) {
        throw new InferenceException(
            ErrorCode.UNIMPLEMENTED,
            "model file '"
                + file
                + "': "
                + role
                + " '"
                + node.getName()
                + "' is "
                + node.getInfo()
                + " (expected: a tensor; sequences and maps are not supported)");
      }
      DataType type =
          dataType(info.onnxType)
              .orElseThrow(
                  () ->
                      new InferenceException(
                          ErrorCode.UNIMPLEMENTED,
                          "model file '"
                              + file
                              + "': "
                              + role
                              + " '"
                              + node.getName()
                              + "' has element type "
                              + info.onnxType
                              + ", which the inference protocol has no datatype for"));
      long[] shape = info.getShape();
      for (int i = 0; i < shape.length; i++) {
        if (shape[i] < 0) {
          shape[i] = -1;
        }
      }
      specs.add(new TensorSpec(node.getName(), type, shape));
    }
    return specs;
  }
}
