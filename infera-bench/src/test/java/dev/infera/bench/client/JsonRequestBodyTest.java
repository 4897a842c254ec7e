package dev.infera.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.bench.input.InputTensor;
import dev.infera.bench.input.RandomInputs;
import dev.infera.bench.input.RequestFile;
import dev.infera.bench.input.ShapeOverride;
import dev.infera.bench.input.TensorMeta;
import dev.infera.spi.DataType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRequestBodyTest {
  private static final List<TensorMeta> MODEL =
      List.of(
          new TensorMeta("features", DataType.FP32, new long[] {-1, 4}),
          new TensorMeta("ids", DataType.INT64, new long[] {-1, -1}),
          new TensorMeta("flags", DataType.BOOL, new long[] {-1}),
          new TensorMeta("text", DataType.BYTES, new long[] {-1}));

  private static List<InputTensor> inputs() {
    return new RandomInputs(3).generate(MODEL, 2, List.of(ShapeOverride.parse("ids:3")));
  }

  @Test
  void jsonBodyReadsBackToTheSameTensors() {
    List<InputTensor> inputs = inputs();

    List<InputTensor> decoded =
        RequestFile.parse(new String(JsonRequestBody.json(inputs), StandardCharsets.UTF_8));

    assertThat(decoded).hasSameSizeAs(inputs);
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(decoded.get(i).name()).isEqualTo(inputs.get(i).name());
      assertThat(decoded.get(i).shape()).isEqualTo(inputs.get(i).shape());
      assertThat(decoded.get(i).raw()).isEqualTo(inputs.get(i).raw());
    }
  }

  @Test
  void binaryHeaderGivesEachInputsSizeAndAsksForBinaryOutputs() throws Exception {
    List<InputTensor> inputs = inputs();

    JsonNode header = new ObjectMapper().readTree(JsonRequestBody.binaryHeader(inputs));

    assertThat(header.at("/inputs/0/parameters/binary_data_size").asInt()).isEqualTo(2 * 4 * 4);
    assertThat(header.at("/inputs/1/parameters/binary_data_size").asInt()).isEqualTo(2 * 3 * 8);
    assertThat(header.at("/inputs/0/data").isMissingNode()).isTrue();
    assertThat(header.at("/parameters/binary_data_output").asBoolean()).isTrue();
  }

  @Test
  void halfPrecisionCannotTravelAsJson() {
    InputTensor half = new InputTensor("h", DataType.FP16, new long[] {1}, new byte[2]);

    assertThatThrownBy(() -> JsonRequestBody.json(List.of(half)))
        .hasMessageContaining("input 'h'")
        .hasMessageContaining("rest-binary or grpc");
  }

  @Test
  void metadataInputsAreReadWithTheirShapes() {
    List<TensorMeta> inputs =
        MetadataJson.inputs(
            "m",
            """
            {"name":"m","versions":["1"],"platform":"onnxruntime_onnx",
             "inputs":[{"name":"input_ids","datatype":"INT64","shape":[-1,-1]}],
             "outputs":[{"name":"embedding","datatype":"FP32","shape":[-1,256]}]}
            """);

    assertThat(inputs)
        .containsExactly(new TensorMeta("input_ids", DataType.INT64, new long[] {-1, -1}));
  }

  @Test
  void metadataWithoutInputsNamesTheModel() {
    assertThatThrownBy(() -> MetadataJson.inputs("m", "{\"error\":\"unknown model\"}"))
        .hasMessageContaining("model 'm'")
        .hasMessageContaining("unknown model");
  }
}
