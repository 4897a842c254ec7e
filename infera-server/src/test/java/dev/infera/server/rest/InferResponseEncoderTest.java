package dev.infera.server.rest;

import static dev.infera.server.rest.RequestJson.littleEndian;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.OutputOptions;
import dev.infera.core.RequestOptions;
import dev.infera.core.RequestedOutput;
import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InferResponseEncoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void writesModelVersionIdAndOutputs() throws Exception {
    EncodedResponse encoded = encode(response(ints("y", 1, 2)), Optional.of("r1"), jsonOnly());

    assertThat(encoded.hasBinary()).isFalse();
    assertThat(new String(encoded.toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"model_name\":\"m\",\"model_version\":\"1\",\"id\":\"r1\",\"outputs\":"
                + "[{\"name\":\"y\",\"datatype\":\"INT32\",\"shape\":[2],\"data\":[1,2]}]}");
  }

  @Test
  void omitsIdWhenTheRequestHadNone() throws Exception {
    JsonNode json = json(encode(response(ints("y", 1)), Optional.empty(), jsonOnly()));

    assertThat(json.has("id")).isFalse();
  }

  @ParameterizedTest
  @MethodSource("valuesOfEachType")
  void writesEachTypeAsJson(DataType type, byte[] data, String expectedData) throws Exception {
    Tensor tensor =
        Tensor.of("y", type, new long[] {data.length / type.byteSize()}, ByteBuffer.wrap(data));

    JsonNode json = json(encode(response(tensor), Optional.empty(), jsonOnly()));

    assertThat(json.at("/outputs/0/data").toString()).isEqualTo(expectedData);
  }

  static Stream<Arguments> valuesOfEachType() {
    return Stream.of(
        Arguments.of(DataType.BOOL, new byte[] {1, 0}, "[true,false]"),
        Arguments.of(DataType.UINT8, new byte[] {(byte) 255, 1}, "[255,1]"),
        Arguments.of(DataType.INT8, new byte[] {-128, 1}, "[-128,1]"),
        Arguments.of(DataType.UINT16, le(2, -1L, 1L), "[65535,1]"),
        Arguments.of(DataType.INT16, le(2, -32768L, 1L), "[-32768,1]"),
        Arguments.of(DataType.UINT32, le(4, -1L, 1L), "[4294967295,1]"),
        Arguments.of(DataType.INT32, le(4, Integer.MIN_VALUE, 1L), "[-2147483648,1]"),
        Arguments.of(DataType.UINT64, le(8, -1L, 1L), "[18446744073709551615,1]"),
        Arguments.of(DataType.INT64, le(8, Long.MIN_VALUE, 1L), "[-9223372036854775808,1]"),
        Arguments.of(DataType.FP16, le(2, 0x3c00, 0xc000), "[1.0,-2.0]"),
        Arguments.of(DataType.BF16, le(2, 0x3f80, 0x4040), "[1.0,3.0]"),
        Arguments.of(
            DataType.FP64, littleEndian(16).putDouble(0.1).putDouble(-1.5).array(), "[0.1,-1.5]"));
  }

  @Test
  void fp32ValuesParseBackToTheSameFloat() throws Exception {
    float[] values = {0.1f, 1.0000001f, Float.MIN_VALUE, Float.MAX_VALUE, -3.4e-20f, 16777216f};
    ByteBuffer data = littleEndian(values.length * 4);
    for (float v : values) {
      data.putFloat(v);
    }
    Tensor tensor = Tensor.of("y", DataType.FP32, new long[] {values.length}, data.flip());

    JsonNode out =
        json(encode(response(tensor), Optional.empty(), jsonOnly())).at("/outputs/0/data");

    for (int i = 0; i < values.length; i++) {
      assertThat(Float.parseFloat(out.get(i).asText())).isEqualTo(values[i]);
    }
  }

  @Test
  void writesBytesOutputsAsStrings() throws Exception {
    JsonNode json =
        json(encode(response(strings("y", "a", "héllo")), Optional.empty(), jsonOnly()));

    assertThat(json.at("/outputs/0/data").toString()).isEqualTo("[\"a\",\"héllo\"]");
  }

  @Test
  void binaryOutputGoesAfterTheJsonWithItsSize() throws Exception {
    InferenceRequest options =
        asking(
            List.of(
                new RequestedOutput("b", OutputOptions.DEFAULT.withBinary(true)),
                RequestedOutput.named("j")),
            false);

    EncodedResponse encoded =
        encode(response(ints("j", 5), ints("b", 1, 2)), Optional.empty(), options);

    JsonNode json = json(encoded);
    assertThat(json.at("/outputs/0/data").toString()).isEqualTo("[5]");
    assertThat(json.at("/outputs/1/parameters/binary_data_size").asLong()).isEqualTo(8);
    assertThat(json.at("/outputs/1").has("data")).isFalse();
    assertThat(binaryPart(encoded)).containsExactly(le(4, 1, 2));
  }

  @Test
  void binaryDataOutputAppliesToOutputsThatDoNotSayOtherwise() throws Exception {
    InferenceRequest options =
        asking(List.of(new RequestedOutput("j", OutputOptions.DEFAULT.withBinary(false))), true);

    EncodedResponse encoded =
        encode(response(ints("j", 5), strings("s", "ab", "")), Optional.empty(), options);

    assertThat(json(encoded).at("/outputs/1/parameters/binary_data_size").asLong()).isEqualTo(10);
    assertThat(binaryPart(encoded)).containsExactly(2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0);
  }

  @Test
  void classificationReplacesAnOutputByItsTopClasses() throws Exception {
    InferenceRequest options =
        asking(List.of(new RequestedOutput("y", OutputOptions.DEFAULT.withClassCount(2))), false);
    ByteBuffer scores = littleEndian(24).putFloat(0.1f).putFloat(0.7f).putFloat(0.2f);
    scores.putFloat(0.5f).putFloat(0.5f).putFloat(0.9f);
    Tensor tensor = Tensor.of("y", DataType.FP32, new long[] {2, 3}, scores.flip());

    JsonNode out = json(encode(response(tensor), Optional.empty(), options)).at("/outputs/0");

    assertThat(out.get("datatype").asText()).isEqualTo("BYTES");
    assertThat(out.get("shape").toString()).isEqualTo("[2,2]");
    assertThat(out.get("data").toString())
        .isEqualTo("[\"0.700000:1\",\"0.200000:2\",\"0.900000:2\",\"0.500000:0\"]");
  }

  private static EncodedResponse encode(
      InferenceResponse response, Optional<String> id, InferenceRequest request) {
    return InferResponseEncoder.encode(
        response,
        new InferenceRequest(
            "m", Optional.empty(), id, List.of(), request.outputs(), request.options()));
  }

  /** A request naming these outputs, the others binary or not by default. */
  private static InferenceRequest asking(List<RequestedOutput> outputs, boolean binaryByDefault) {
    return new InferenceRequest(
        "m",
        Optional.empty(),
        Optional.empty(),
        List.of(),
        outputs,
        RequestOptions.builder()
            .outputDefaults(OutputOptions.DEFAULT.withBinary(binaryByDefault))
            .build());
  }

  private static InferenceRequest jsonOnly() {
    return asking(List.of(), false);
  }

  private static JsonNode json(EncodedResponse encoded) throws Exception {
    return MAPPER.readTree(encoded.bytes(), 0, encoded.jsonLength());
  }

  private static byte[] binaryPart(EncodedResponse encoded) {
    return Arrays.copyOfRange(encoded.bytes(), encoded.jsonLength(), encoded.length());
  }

  static InferenceResponse response(Tensor... outputs) {
    return new InferenceResponse("m", "1", Optional.empty(), List.of(outputs), Map.of());
  }

  static Tensor ints(String name, int... values) {
    return Tensor.of(
        name, DataType.INT32, new long[] {values.length}, ByteBuffer.wrap(le(4, toLongs(values))));
  }

  static Tensor strings(String name, String... values) {
    return Tensor.ofBytes(
        name,
        new long[] {values.length},
        Arrays.stream(values).map(v -> v.getBytes(StandardCharsets.UTF_8)).toList());
  }

  private static long[] toLongs(int... values) {
    return Arrays.stream(values).asLongStream().toArray();
  }

  /** Little-endian encoding of each value in {@code width} bytes. */
  static byte[] le(int width, long... values) {
    ByteBuffer out = littleEndian(width * values.length);
    for (long v : values) {
      switch (width) {
        case 2 -> out.putShort((short) v);
        case 4 -> out.putInt((int) v);
        default -> out.putLong(v);
      }
    }
    return out.array();
  }
}
