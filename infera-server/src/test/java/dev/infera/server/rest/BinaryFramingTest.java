package dev.infera.server.rest;

import static dev.infera.server.rest.RequestJson.bytes;
import static dev.infera.server.rest.RequestJson.failure;
import static dev.infera.server.rest.RequestJson.littleEndian;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BinaryFramingTest {

  @Test
  void withoutHeaderTheWholeBodyIsJson() {
    assertThat(BinaryFraming.jsonLength(null, 120)).isEqualTo(120);
  }

  @Test
  void headerGivesTheJsonLength() {
    assertThat(BinaryFraming.jsonLength("100", 120)).isEqualTo(100);
  }

  @ParameterizedTest
  @CsvSource({"abc, is not a non-negative integer", "-1, is negative", "121, is larger than"})
  void rejectsBadHeaderValues(String header, String expectedText) {
    InferenceException e = failure(() -> BinaryFraming.jsonLength(header, 120));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains("Inference-Header-Content-Length").contains(expectedText);
  }

  @Test
  void decodesMixedJsonAndBinaryInputsInOrder() {
    String json =
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"FP32\","
            + "\"parameters\":{\"binary_data_size\":8}},"
            + "{\"name\":\"b\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[7]},"
            + "{\"name\":\"c\",\"shape\":[2],\"datatype\":\"BYTES\","
            + "\"parameters\":{\"binary_data_size\":15}}]}";
    byte[] binary = concat(floats(1.5f, -2f), strings("hi", "there"));

    List<Tensor> tensors = decodeFramed(json, binary);

    assertThat(tensors).extracting(Tensor::name).containsExactly("a", "b", "c");
    assertThat(bytes(tensors.get(0).data())).containsExactly(floats(1.5f, -2f));
    assertThat(tensors.get(1).data().getInt(0)).isEqualTo(7);
    assertThat(tensors.get(2).elements())
        .extracting(e -> new String(e, StandardCharsets.UTF_8))
        .containsExactly("hi", "there");
  }

  @Test
  void fixedSizeBinaryInputIsAViewOfTheBody() {
    String json = binaryInput("a", "UINT8", "[3]", 3);

    Tensor tensor = decodeFramed(json, new byte[] {1, 2, (byte) 255}).get(0);

    assertThat(tensor.dataType()).isEqualTo(DataType.UINT8);
    assertThat(bytes(tensor.data())).containsExactly(1, 2, (byte) 255);
  }

  @Test
  void rejectsSizeBeyondTheBody() {
    InferenceException e =
        failure(() -> decodeFramed(binaryInput("a", "FP32", "[2]", 8), new byte[4]));

    assertThat(e.getMessage()).startsWith("input 'a': binary_data_size 8 is more than the 4 bytes");
  }

  @Test
  void rejectsSizeThatDoesNotMatchTheShape() {
    InferenceException e =
        failure(() -> decodeFramed(binaryInput("a", "FP32", "[2]", 4), new byte[4]));

    assertThat(e.getMessage())
        .isEqualTo("input 'a': binary data holds 4 bytes for FP32 shape [2] (expected 8 bytes)");
  }

  @Test
  void rejectsLeftoverBytes() {
    InferenceException e =
        failure(() -> decodeFramed(binaryInput("a", "FP32", "[1]", 4), new byte[6]));

    assertThat(e.getMessage()).startsWith("2 bytes of binary data follow the inputs' data");
  }

  @Test
  void rejectsBytesElementRunningPastItsSize() {
    byte[] binary = concat(littleEndian(4).putInt(10).array(), new byte[] {'a'});

    InferenceException e =
        failure(() -> decodeFramed(binaryInput("s", "BYTES", "[1]", binary.length), binary));

    assertThat(e.getMessage())
        .startsWith("input 's': binary data holds element 0 of length 10 with 1 bytes left");
  }

  @Test
  void rejectsBytesElementCountDifferentFromShape() {
    byte[] binary = strings("a");

    InferenceException e =
        failure(() -> decodeFramed(binaryInput("s", "BYTES", "[2]", binary.length), binary));

    assertThat(e.getMessage())
        .isEqualTo(
            "input 's': binary data holds 1 elements for BYTES shape [2] (expected 2 elements,"
                + " each a 4-byte little-endian length and its bytes)");
  }

  @Test
  void rejectsMoreBytesElementsThanTheShape() {
    byte[] binary = strings("a", "b");

    InferenceException e =
        failure(() -> decodeFramed(binaryInput("s", "BYTES", "[1]", binary.length), binary));

    assertThat(e.getMessage()).startsWith("input 's': binary data holds more than 1 elements");
  }

  @Test
  void binaryInputWithoutHeaderHasNoBytes() {
    byte[] json = binaryInput("a", "FP32", "[1]", 4).getBytes(StandardCharsets.UTF_8);
    DecodedRequest request = InferRequestDecoder.decode(json, 0, json.length);

    InferenceException e =
        failure(() -> BinaryFraming.attach(request.inputs(), json, json.length, json.length));

    assertThat(e.getMessage()).startsWith("input 'a': binary_data_size 4 is more than the 0");
  }

  static List<Tensor> decodeFramed(String json, byte[] binary) {
    byte[] head = json.getBytes(StandardCharsets.UTF_8);
    byte[] body = concat(head, binary);
    int jsonLength = BinaryFraming.jsonLength(Integer.toString(head.length), body.length);
    DecodedRequest request = InferRequestDecoder.decode(body, 0, jsonLength);
    return BinaryFraming.attach(request.inputs(), body, jsonLength, body.length);
  }

  static String binaryInput(String name, String type, String shape, int size) {
    return "{\"inputs\":[{\"name\":\""
        + name
        + "\",\"shape\":"
        + shape
        + ",\"datatype\":\""
        + type
        + "\",\"parameters\":{\"binary_data_size\":"
        + size
        + "}}]}";
  }

  static byte[] floats(float... values) {
    ByteBuffer out = littleEndian(values.length * 4);
    for (float v : values) {
      out.putFloat(v);
    }
    return out.array();
  }

  static byte[] strings(String... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String value : values) {
      byte[] b = value.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(littleEndian(4).putInt(b.length).array());
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[] first, byte[] second) {
    byte[] out = new byte[first.length + second.length];
    System.arraycopy(first, 0, out, 0, first.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }
}
