package dev.infera.server.grpc;

import static dev.infera.server.grpc.Messages.bytes;
import static dev.infera.server.grpc.Messages.littleEndian;
import static dev.infera.server.grpc.Messages.rawBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.infera.server.protocol.RawTensors;
import dev.infera.server.protocol.TensorShapes;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** gRPC's raw contents as the protocol layer's {@link RawTensors} reads and writes them. */
class RawContentsTest {
  private static Tensor decode(String name, DataType type, long[] shape, ByteString raw) {
    return RawTensors.decode(
        name, type, shape, raw.asReadOnlyByteBuffer(), "raw contents", TensorShapes.UNLIMITED);
  }

  private static ByteString encode(Tensor tensor) {
    return ByteString.copyFrom(RawTensors.encode(tensor));
  }

  /** Six elements of any fixed-size type: bytes 0..(6 * size - 1). */
  private static ByteString sixElements(DataType type) {
    byte[] data = new byte[6 * type.byteSize()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 37);
    }
    return ByteString.copyFrom(data);
  }

  @ParameterizedTest
  @EnumSource(value = DataType.class, names = "BYTES", mode = EnumSource.Mode.EXCLUDE)
  void fixedSizeTypeConvertsBothWays(DataType type) {
    ByteString raw = sixElements(type);

    Tensor tensor = decode("IN", type, new long[] {2, 3}, raw);

    assertThat(tensor.dataType()).isEqualTo(type);
    assertThat(tensor.shape()).containsExactly(2, 3);
    assertThat(ByteString.copyFrom(tensor.data())).isEqualTo(raw);
    assertThat(encode(tensor)).isEqualTo(raw);
  }

  @Test
  void fixedSizeDataIsAReadOnlyViewOfTheMessageBytes() {
    Tensor tensor = decode("IN", DataType.FP32, new long[] {6}, sixElements(DataType.FP32));

    assertThat(tensor.data().isReadOnly()).isTrue();
  }

  @Test
  void fp16ValuesArriveUnchanged() {
    // 1.0 and -2.0 in IEEE half precision
    ByteString raw = bytes(littleEndian(4).putShort((short) 0x3C00).putShort((short) 0xC000));

    Tensor tensor = decode("HALF", DataType.FP16, new long[] {2}, raw);

    assertThat(tensor.data().getShort(0)).isEqualTo((short) 0x3C00);
    assertThat(tensor.data().getShort(2)).isEqualTo((short) 0xC000);
  }

  @Test
  void uint64AboveTwoToThe63IsKeptBitForBit() {
    long twoTo63Plus1 = Long.MIN_VALUE + 1;
    ByteString raw = bytes(littleEndian(8).putLong(twoTo63Plus1));

    Tensor tensor = decode("BIG", DataType.UINT64, new long[] {1}, raw);

    assertThat(Long.toUnsignedString(tensor.data().getLong(0))).isEqualTo("9223372036854775809");
  }

  @Test
  void bytesConvertBothWaysIncludingEmojiAndEmpty() {
    byte[] emoji = "🙂👍 ok".getBytes(StandardCharsets.UTF_8);
    ByteString raw = rawBytes(emoji, new byte[0], new byte[] {0, 1, 2});

    Tensor tensor = decode("TEXT", DataType.BYTES, new long[] {1, 3}, raw);

    assertThat(tensor.elements()).containsExactly(emoji, new byte[0], new byte[] {0, 1, 2});
    assertThat(encode(tensor)).isEqualTo(raw);
  }

  @Test
  void fixedSizeRawMustMatchShapeTimesTypeSize() {
    ByteString sevenBytes = ByteString.copyFrom(new byte[7]);

    InvalidArgument.assertThrownBy(
        () -> decode("IN", DataType.FP32, new long[] {2}, sevenBytes),
        "input 'IN'",
        "7 bytes",
        "expected 8");
  }

  @Test
  void bytesWithFewerElementsThanTheShapeAreRejected() {
    InvalidArgument.assertThrownBy(
        () -> decode("TEXT", DataType.BYTES, new long[] {3}, rawBytes(new byte[1])),
        "input 'TEXT'",
        "1 elements",
        "expected 3");
  }

  @Test
  void bytesWithMoreElementsThanTheShapeAreRejected() {
    ByteString two = rawBytes(new byte[1], new byte[1]);

    InvalidArgument.assertThrownBy(
        () -> decode("TEXT", DataType.BYTES, new long[] {1}, two),
        "input 'TEXT'",
        "more than 1 elements");
  }

  @Test
  void bytesElementLongerThanWhatIsLeftIsRejected() {
    ByteString truncated = bytes(littleEndian(6).putInt(10).put((byte) 1).put((byte) 2));

    InvalidArgument.assertThrownBy(
        () -> decode("TEXT", DataType.BYTES, new long[] {1}, truncated),
        "input 'TEXT'",
        "length 10");
  }

  @Test
  void bytesWithATruncatedLengthPrefixAreRejected() {
    ByteString truncated = ByteString.copyFrom(new byte[] {1, 0});

    InvalidArgument.assertThrownBy(
        () -> decode("TEXT", DataType.BYTES, new long[] {1}, truncated),
        "input 'TEXT'",
        "truncated length prefix");
  }
}
