package dev.infera.server.rest;

import static dev.infera.server.rest.RequestJson.bytes;
import static dev.infera.server.rest.RequestJson.decode;
import static dev.infera.server.rest.RequestJson.failure;
import static dev.infera.server.rest.RequestJson.littleEndian;
import static dev.infera.server.rest.RequestJson.oneInput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InferRequestDecoderTest {

  /** Per type: four values as JSON, and their expected little-endian bytes. */
  static Stream<Arguments> fourValuesOfEachType() {
    return Stream.of(
        Arguments.of(DataType.BOOL, "true,false,true,true", bytesOf(1, 0, 1, 1)),
        Arguments.of(DataType.UINT8, "0,1,254,255", bytesOf(0, 1, 254, 255)),
        Arguments.of(DataType.INT8, "-128,-1,0,127", bytesOf(-128, -1, 0, 127)),
        Arguments.of(DataType.UINT16, "0,1,65534,65535", shorts(0, 1, 65534, 65535)),
        Arguments.of(DataType.INT16, "-32768,-1,0,32767", shorts(-32768, -1, 0, 32767)),
        Arguments.of(DataType.FP16, "1.0,-2,0.5,65504", shorts(0x3c00, 0xc000, 0x3800, 0x7bff)),
        Arguments.of(DataType.BF16, "1.0,-2,0.5,3", shorts(0x3f80, 0xc000, 0x3f00, 0x4040)),
        Arguments.of(
            DataType.UINT32, "0,1,4294967294,4294967295", ints(0, 1, 0xfffffffe, 0xffffffff)),
        Arguments.of(
            DataType.INT32,
            "-2147483648,-1,0,2147483647",
            ints(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE)),
        Arguments.of(
            DataType.UINT64,
            "0,1,9223372036854775808,18446744073709551615",
            longs(0, 1, Long.MIN_VALUE, -1)),
        Arguments.of(
            DataType.INT64,
            "-9223372036854775808,-1,0,9223372036854775807",
            longs(Long.MIN_VALUE, -1, 0, Long.MAX_VALUE)),
        Arguments.of(
            DataType.FP32,
            "0.1,-1.5,3.4028235E38,1.0E-45",
            floats(0.1f, -1.5f, Float.MAX_VALUE, Float.MIN_VALUE)),
        Arguments.of(
            DataType.FP64,
            "0.1,-1.5,1.7976931348623157E308,4.9E-324",
            doubles(0.1, -1.5, Double.MAX_VALUE, Double.MIN_VALUE)));
  }

  @ParameterizedTest
  @MethodSource("fourValuesOfEachType")
  void decodesFlatData(DataType type, String values, byte[] expected) {
    Tensor tensor = onlyTensor(oneInput(type.name(), "[2,2]", "[" + values + "]"));

    assertThat(tensor.dataType()).isEqualTo(type);
    assertThat(tensor.shape()).containsExactly(2, 2);
    assertThat(bytes(tensor.data())).containsExactly(expected);
  }

  @ParameterizedTest
  @MethodSource("fourValuesOfEachType")
  void decodesNestedDataRowMajor(DataType type, String values, byte[] expected) {
    String[] v = values.split(",");
    String nested = "[[" + v[0] + "," + v[1] + "],[" + v[2] + "," + v[3] + "]]";

    Tensor tensor = onlyTensor(oneInput(type.name(), "[2,2]", nested));

    assertThat(bytes(tensor.data())).containsExactly(expected);
  }

  @ParameterizedTest
  @MethodSource("fourValuesOfEachType")
  void decodesDataThatComesBeforeTheDatatype(DataType type, String values, byte[] expected) {
    String json =
        "{\"inputs\":[{\"data\":["
            + values
            + "],\"name\":\"x\",\"datatype\":\""
            + type
            + "\",\"shape\":[4]}]}";

    assertThat(bytes(onlyTensor(json).data())).containsExactly(expected);
  }

  @ParameterizedTest
  @MethodSource("stringCases")
  void decodesBytesAsUtf8(String data) {
    Tensor tensor = onlyTensor(oneInput("BYTES", "[2,2]", data));

    assertThat(tensor.elements())
        .extracting(b -> new String(b, StandardCharsets.UTF_8))
        .containsExactly("a", "", "héllo", "\u00e9\ud83d\ude00");
  }

  static Stream<String> stringCases() {
    return Stream.of(
        "[\"a\",\"\",\"héllo\",\"\\u00e9\\ud83d\\ude00\"]",
        "[[\"a\",\"\"],[\"héllo\",\"\\u00e9\\ud83d\\ude00\"]]");
  }

  @ParameterizedTest
  @MethodSource("outOfRangeValues")
  void rejectsValuesOutsideTheType(String datatype, String value, String expectedText) {
    InferenceException e = failure(() -> decode(oneInput(datatype, "[1]", "[" + value + "]")));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.getMessage()).startsWith("input 'x': ").contains(expectedText);
  }

  static Stream<Arguments> outOfRangeValues() {
    return Stream.of(
        Arguments.of("UINT8", "300", "out of range for UINT8 (0 to 255)"),
        Arguments.of("UINT8", "-1", "out of range for UINT8"),
        Arguments.of("INT8", "128", "out of range for INT8 (-128 to 127)"),
        Arguments.of("UINT16", "65536", "out of range for UINT16"),
        Arguments.of("INT16", "-32769", "out of range for INT16"),
        Arguments.of("UINT32", "4294967296", "out of range for UINT32"),
        Arguments.of("INT32", "2147483648", "out of range for INT32"),
        Arguments.of("INT64", "9223372036854775808", "out of range for INT64"),
        Arguments.of("UINT64", "18446744073709551616", "out of range for UINT64"),
        Arguments.of("UINT64", "-1", "out of range for UINT64"),
        Arguments.of("INT32", "1.5", "1.5 is not an integer"),
        Arguments.of("UINT8", "2.0", "not an integer"),
        Arguments.of("FP32", "1e39", "out of range for FP32"),
        Arguments.of("FP64", "1e309", "out of range for FP64"),
        Arguments.of("FP16", "70000", "out of range for FP16"),
        Arguments.of("BF16", "1e39", "out of range for BF16"),
        Arguments.of("BOOL", "1", "BOOL data must hold true/false values"),
        Arguments.of("FP32", "\"1.0\"", "FP32 data must hold numbers"),
        Arguments.of("INT32", "true", "INT32 data must hold integers"),
        Arguments.of("BYTES", "5", "BYTES data must hold strings"),
        Arguments.of("BYTES", "\"a\\ud800\"", "element 0 is not valid Unicode text"),
        Arguments.of("BYTES", "\"\\ude00b\"", "lone surrogate"),
        Arguments.of("FP32", "null", "FP32 data must hold numbers"),
        Arguments.of("FP32", "{\"a\":1}", "data must hold numbers or arrays of them"));
  }

  @Test
  void acceptsNanLiteral() {
    Tensor tensor = onlyTensor(oneInput("FP32", "[1]", "[NaN]"));

    assertThat(tensor.data().getFloat(0)).isNaN();
  }

  @ParameterizedTest
  @MethodSource("infinities")
  void acceptsInfinityLiterals(String literal, float expected) {
    Tensor tensor = onlyTensor(oneInput("FP32", "[1]", "[" + literal + "]"));

    assertThat(tensor.data().getFloat(0)).isEqualTo(expected);
  }

  static Stream<Arguments> infinities() {
    return Stream.of(
        Arguments.of("Infinity", Float.POSITIVE_INFINITY),
        Arguments.of("-Infinity", Float.NEGATIVE_INFINITY));
  }

  @ParameterizedTest
  @MethodSource("floatTexts")
  void fp32ValuesAreTheNearestFloatToTheText(String text) {
    Tensor tensor = onlyTensor(oneInput("FP32", "[1]", "[" + text + "]"));

    assertThat(tensor.data().getFloat(0)).isEqualTo(Float.parseFloat(text));
  }

  static Stream<String> floatTexts() {
    return Stream.of("0.1", "1.0000001", "3.14159265358979", "16777217", "1e-40", "-0.0");
  }

  @ParameterizedTest
  @MethodSource("scalarShapes")
  void acceptsAScalarOrEmptyData(String shape, String data, long elements) {
    Tensor tensor = onlyTensor(oneInput("INT32", shape, data));

    assertThat(tensor.elementCount()).isEqualTo(elements);
  }

  static Stream<Arguments> scalarShapes() {
    return Stream.of(
        Arguments.of("[]", "7", 1L),
        Arguments.of("[]", "[7]", 1L),
        Arguments.of("[0,3]", "[]", 0L));
  }

  private static Tensor onlyTensor(String json) {
    List<DecodedInput> inputs = decode(json).inputs();
    assertThat(inputs).hasSize(1);
    return inputs.get(0).tensor();
  }

  private static byte[] bytesOf(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static byte[] shorts(int... values) {
    ByteBuffer out = littleEndian(values.length * 2);
    for (int v : values) {
      out.putShort((short) v);
    }
    return out.array();
  }

  private static byte[] ints(int... values) {
    ByteBuffer out = littleEndian(values.length * 4);
    for (int v : values) {
      out.putInt(v);
    }
    return out.array();
  }

  private static byte[] longs(long... values) {
    ByteBuffer out = littleEndian(values.length * 8);
    for (long v : values) {
      out.putLong(v);
    }
    return out.array();
  }

  private static byte[] floats(float... values) {
    ByteBuffer out = littleEndian(values.length * 4);
    for (float v : values) {
      out.putFloat(v);
    }
    return out.array();
  }

  private static byte[] doubles(double... values) {
    ByteBuffer out = littleEndian(values.length * 8);
    for (double v : values) {
      out.putDouble(v);
    }
    return out.array();
  }
}
