package dev.infera.server.grpc;

import static dev.infera.server.grpc.Messages.littleEndian;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.infera.server.grpc.proto.InferTensorContents;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TypedContentsTest {

  static Stream<Arguments> fixedSizeTypes() {
    return Stream.of(
        Arguments.of(
            DataType.BOOL,
            InferTensorContents.newBuilder().addBoolContents(true).addBoolContents(false).build(),
            littleEndian(2).put((byte) 1).put((byte) 0)),
        Arguments.of(
            DataType.INT8,
            InferTensorContents.newBuilder().addIntContents(-128).addIntContents(127).build(),
            littleEndian(2).put((byte) -128).put((byte) 127)),
        Arguments.of(
            DataType.INT16,
            InferTensorContents.newBuilder().addIntContents(-32768).addIntContents(300).build(),
            littleEndian(4).putShort((short) -32768).putShort((short) 300)),
        Arguments.of(
            DataType.INT32,
            InferTensorContents.newBuilder()
                .addIntContents(Integer.MIN_VALUE)
                .addIntContents(7)
                .build(),
            littleEndian(8).putInt(Integer.MIN_VALUE).putInt(7)),
        Arguments.of(
            DataType.INT64,
            InferTensorContents.newBuilder()
                .addInt64Contents(Long.MIN_VALUE)
                .addInt64Contents(1L << 40)
                .build(),
            littleEndian(16).putLong(Long.MIN_VALUE).putLong(1L << 40)),
        Arguments.of(
            DataType.UINT8,
            InferTensorContents.newBuilder().addUintContents(255).addUintContents(0).build(),
            littleEndian(2).put((byte) 0xFF).put((byte) 0)),
        Arguments.of(
            DataType.UINT16,
            InferTensorContents.newBuilder().addUintContents(65535).addUintContents(1).build(),
            littleEndian(4).putShort((short) 0xFFFF).putShort((short) 1)),
        Arguments.of(
            DataType.UINT32,
            InferTensorContents.newBuilder()
                .addUintContents((int) 4_000_000_000L)
                .addUintContents(2)
                .build(),
            littleEndian(8).putInt((int) 4_000_000_000L).putInt(2)),
        Arguments.of(
            DataType.UINT64,
            InferTensorContents.newBuilder()
                .addUint64Contents(Long.MIN_VALUE + 5) // 2^63 + 5 as unsigned
                .addUint64Contents(-1L) // 2^64 - 1 as unsigned
                .build(),
            littleEndian(16).putLong(Long.MIN_VALUE + 5).putLong(-1L)),
        Arguments.of(
            DataType.FP32,
            InferTensorContents.newBuilder()
                .addFp32Contents(1.5f)
                .addFp32Contents(Float.NaN)
                .build(),
            littleEndian(8).putFloat(1.5f).putFloat(Float.NaN)),
        Arguments.of(
            DataType.FP64,
            InferTensorContents.newBuilder()
                .addFp64Contents(-2.25)
                .addFp64Contents(Double.MAX_VALUE)
                .build(),
            littleEndian(16).putDouble(-2.25).putDouble(Double.MAX_VALUE)));
  }

  @ParameterizedTest
  @MethodSource("fixedSizeTypes")
  void fixedSizeTypeConvertsBothWays(
      DataType type, InferTensorContents contents, ByteBuffer expected) {
    Tensor tensor = TypedContents.decode("IN", type, new long[] {1, 2}, contents);

    assertThat(tensor.dataType()).isEqualTo(type);
    assertThat(tensor.shape()).containsExactly(1, 2);
    assertThat(tensor.data()).isEqualTo(expected.flip());
    assertThat(TypedContents.encode(tensor)).isEqualTo(contents);
  }

  @Test
  void bytesKeepEveryElementIncludingEmojiAndEmpty() {
    byte[] emoji = "héllo 🤖".getBytes(StandardCharsets.UTF_8);
    InferTensorContents contents =
        InferTensorContents.newBuilder()
            .addBytesContents(ByteString.copyFrom(emoji))
            .addBytesContents(ByteString.EMPTY)
            .build();

    Tensor tensor = TypedContents.decode("TEXT", DataType.BYTES, new long[] {2}, contents);

    assertThat(tensor.elements()).containsExactly(emoji, new byte[0]);
    assertThat(TypedContents.encode(tensor)).isEqualTo(contents);
  }

  @Test
  void emptyShapeNeedsNoValues() {
    Tensor tensor =
        TypedContents.decode(
            "IN", DataType.FP32, new long[] {0, 4}, InferTensorContents.getDefaultInstance());

    assertThat(tensor.elementCount()).isZero();
  }

  @Test
  void fp16IsNotRepresentableInTypedContents() {
    InvalidArgument.assertThrownBy(
        () ->
            TypedContents.decode(
                "HALF", DataType.FP16, new long[] {1}, InferTensorContents.getDefaultInstance()),
        "input 'HALF'",
        "FP16",
        "raw_input_contents");
  }

  @Test
  void elementCountMustMatchTheShape() {
    InferTensorContents three =
        InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 2f, 3f)).build();

    InvalidArgument.assertThrownBy(
        () -> TypedContents.decode("IN", DataType.FP32, new long[] {2, 2}, three),
        "input 'IN'",
        "3 values in fp32_contents",
        "expected 4");
  }

  @Test
  void valuesInTheWrongFieldCountAsMissingAndTheFieldTheyWereSentInIsNamed() {
    InferTensorContents ints = InferTensorContents.newBuilder().addIntContents(1).build();

    InvalidArgument.assertThrownBy(
        () -> TypedContents.decode("IN", DataType.FP32, new long[] {1}, ints),
        "input 'IN'",
        "0 values in fp32_contents",
        "(expected 1; 1 values were sent in int_contents, the field of INT8, INT16, INT32)");
  }

  @Test
  void aShortFieldIsNotBlamedOnAnother() {
    InferTensorContents mixed =
        InferTensorContents.newBuilder().addFp32Contents(1f).addIntContents(1).build();

    InvalidArgument.assertThrownBy(
        () -> TypedContents.decode("IN", DataType.FP32, new long[] {2}, mixed), "(expected 2)");
  }

  @Test
  void narrowIntegerOutOfRangeIsRejected() {
    InferTensorContents tooBig = InferTensorContents.newBuilder().addIntContents(128).build();

    InvalidArgument.assertThrownBy(
        () -> TypedContents.decode("SMALL", DataType.INT8, new long[] {1}, tooBig),
        "input 'SMALL'",
        "value 128",
        "-128 to 127");
  }
}
