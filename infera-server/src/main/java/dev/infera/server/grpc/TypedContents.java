package dev.infera.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.infera.server.grpc.proto.InferTensorContents;
import dev.infera.server.protocol.TensorShapes;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Converts between tensors and the protocol's typed {@link InferTensorContents}: one repeated field
 * per element type, read and written by index so that no element is boxed. FP16 and BF16 have no
 * typed field; they travel only as raw contents.
 */
final class TypedContents {
  private TypedContents() {}

  /** Whether a type has a typed-contents field. */
  static boolean isRepresentable(DataType type) {
    return type != DataType.FP16 && type != DataType.BF16;
  }

  /** The field of {@link InferTensorContents} that carries a type, for messages. */
  static String fieldFor(DataType type) {
    return switch (type) {
      case BOOL -> "bool_contents";
      case INT8, INT16, INT32 -> "int_contents";
      case INT64 -> "int64_contents";
      case UINT8, UINT16, UINT32 -> "uint_contents";
      case UINT64 -> "uint64_contents";
      case FP32 -> "fp32_contents";
      case FP64 -> "fp64_contents";
      case BYTES -> "bytes_contents";
      case FP16, BF16 -> "raw_input_contents";
    };
  }

  /** Builds an input tensor from typed contents; count and range problems name the tensor. */
  static Tensor decode(String name, DataType type, long[] shape, InferTensorContents contents) {
    if (!isRepresentable(type)) {
      throw InferenceException.invalidArgument(
          "input '"
              + name
              + "': "
              + type
              + " has no typed contents field (send its data in raw_input_contents)");
    }
    long count = TensorShapes.UNLIMITED.elementCount("input '" + name + "'", shape);
    int given = valueCount(type, contents);
    if (given != count) {
      throw InferenceException.invalidArgument(
          "input '"
              + name
              + "': "
              + given
              + " values in "
              + fieldFor(type)
              + " for shape "
              + Arrays.toString(shape)
              + " of "
              + type
              + " (expected "
              + count
              + misplaced(type, contents)
              + ")");
    }
    if (type == DataType.BYTES) {
      List<byte[]> elements = new ArrayList<>(given);
      for (int i = 0; i < given; i++) {
        elements.add(contents.getBytesContents(i).toByteArray());
      }
      return Tensor.ofBytes(name, shape, elements);
    }
    ByteBuffer data =
        ByteBuffer.allocate(TensorShapes.UNLIMITED.byteSize("input '" + name + "'", type, shape))
            .order(ByteOrder.LITTLE_ENDIAN);
    fill(name, type, contents, data);
    return Tensor.of(name, type, shape, data.flip());
  }

  /**
   * When the values were sent in another type's field (say int_contents for FP32): "; N values were
   * sent in FIELD, the field of TYPES", else empty.
   */
  private static String misplaced(DataType type, InferTensorContents contents) {
    if (valueCount(type, contents) != 0) {
      return "";
    }
    for (DataType other : DataType.values()) {
      String field = fieldFor(other);
      int sent = isRepresentable(other) ? valueCount(other, contents) : 0;
      if (sent > 0 && !field.equals(fieldFor(type))) {
        List<String> types =
            Arrays.stream(DataType.values())
                .filter(t -> isRepresentable(t) && fieldFor(t).equals(field))
                .map(DataType::name)
                .toList();
        return "; "
            + sent
            + " values were sent in "
            + field
            + ", the field of "
            + String.join(", ", types);
      }
    }
    return "";
  }

  private static int valueCount(DataType type, InferTensorContents contents) {
    return switch (type) {
      case BOOL -> contents.getBoolContentsCount();
      case INT8, INT16, INT32 -> contents.getIntContentsCount();
      case INT64 -> contents.getInt64ContentsCount();
      case UINT8, UINT16, UINT32 -> contents.getUintContentsCount();
      case UINT64 -> contents.getUint64ContentsCount();
      case FP32 -> contents.getFp32ContentsCount();
      case FP64 -> contents.getFp64ContentsCount();
      case BYTES -> contents.getBytesContentsCount();
      case FP16, BF16 -> 0;
    };
  }

  private static void fill(
      String name, DataType type, InferTensorContents contents, ByteBuffer data) {
    int count = valueCount(type, contents);
    for (int i = 0; i < count; i++) {
      switch (type) {
        case BOOL -> data.put(contents.getBoolContents(i) ? (byte) 1 : (byte) 0);
        case INT8 -> data.put((byte) inRange(name, i, contents.getIntContents(i), -128, 127));
        case INT16 ->
            data.putShort((short) inRange(name, i, contents.getIntContents(i), -32768, 32767));
        case INT32 -> data.putInt(contents.getIntContents(i));
        case INT64 -> data.putLong(contents.getInt64Contents(i));
        case UINT8 ->
            data.put((byte) inRange(name, i, unsigned(contents.getUintContents(i)), 0, 255));
        case UINT16 ->
            data.putShort(
                (short) inRange(name, i, unsigned(contents.getUintContents(i)), 0, 65535));
        case UINT32 -> data.putInt(contents.getUintContents(i));
        case UINT64 -> data.putLong(contents.getUint64Contents(i));
        case FP32 -> data.putFloat(contents.getFp32Contents(i));
        case FP64 -> data.putDouble(contents.getFp64Contents(i));
        case FP16, BF16, BYTES -> throw new IllegalStateException("not a typed fixed-size type");
      }
    }
  }

  private static long unsigned(int value) {
    return Integer.toUnsignedLong(value);
  }

  private static long inRange(String name, int index, long value, long min, long max) {
    if (value < min || value > max) {
      throw InferenceException.invalidArgument(
          "input '"
              + name
              + "': value "
              + value
              + " at element "
              + index
              + " is out of range (expected "
              + min
              + " to "
              + max
              + ")");
    }
    return value;
  }

  /** The typed contents of an output tensor, whose type must be {@linkplain #isRepresentable}. */
  static InferTensorContents encode(Tensor tensor) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    if (tensor.dataType() == DataType.BYTES) {
      for (byte[] element : tensor.elements()) {
        contents.addBytesContents(wrap(element));
      }
      return contents.build();
    }
    ByteBuffer data = tensor.data();
    int count = Math.toIntExact(tensor.elementCount());
    for (int i = 0; i < count; i++) {
      switch (tensor.dataType()) {
        case BOOL -> contents.addBoolContents(data.get() != 0);
        case INT8 -> contents.addIntContents(data.get());
        case INT16 -> contents.addIntContents(data.getShort());
        case INT32 -> contents.addIntContents(data.getInt());
        case INT64 -> contents.addInt64Contents(data.getLong());
        case UINT8 -> contents.addUintContents(Byte.toUnsignedInt(data.get()));
        case UINT16 -> contents.addUintContents(Short.toUnsignedInt(data.getShort()));
        case UINT32 -> contents.addUintContents(data.getInt());
        case UINT64 -> contents.addUint64Contents(data.getLong());
        case FP32 -> contents.addFp32Contents(data.getFloat());
        case FP64 -> contents.addFp64Contents(data.getDouble());
        case FP16, BF16, BYTES ->
            throw new IllegalStateException(
                "output '" + tensor.name() + "': " + tensor.dataType() + " has no typed field");
      }
    }
    return contents.build();
  }

  /** Tensors are immutable by contract, so their element arrays are shared, not copied. */
  private static ByteString wrap(byte[] element) {
    return UnsafeByteOperations.unsafeWrap(element);
  }
}
