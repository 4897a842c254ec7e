package dev.infera.bench.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.DataType;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestFileTest {

  @Test
  void readsARecordedRequestBody() throws URISyntaxException {
    Path file = Path.of(getClass().getResource("/tabular_mlp/request.json").toURI());

    List<InputTensor> inputs = RequestFile.read(file);

    assertThat(inputs).hasSize(1);
    InputTensor features = inputs.get(0);
    assertThat(features.name()).isEqualTo("features");
    assertThat(features.type()).isEqualTo(DataType.FP32);
    assertThat(features.shape()).containsExactly(1, 64);
    assertThat(features.buffer().getFloat()).isEqualTo(-0.8335157f);
  }

  @Test
  void nestedDataIsFlattenedRowMajor() {
    InputTensor tensor =
        RequestFile.parse(
                """
                {"inputs":[{"name":"x","shape":[2,2],"datatype":"INT32","data":[[1,2],[3,4]]}]}
                """)
            .get(0);

    ByteBuffer data = tensor.buffer();
    assertThat(new int[] {data.getInt(), data.getInt(), data.getInt(), data.getInt()})
        .containsExactly(1, 2, 3, 4);
  }

  @Test
  void stringsBecomeLengthPrefixedBytes() {
    InputTensor tensor =
        RequestFile.parse(
                """
                {"inputs":[{"name":"s","shape":[2],"datatype":"BYTES","data":["ab","é"]}]}
                """)
            .get(0);

    ByteBuffer data = ByteBuffer.wrap(tensor.raw()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(data.getInt()).isEqualTo(2);
    data.position(6);
    byte[] second = new byte[data.getInt()];
    data.get(second);
    assertThat(new String(second, StandardCharsets.UTF_8)).isEqualTo("é");
  }

  @Test
  void anElementCountNotMatchingTheShapeIsRejected() {
    assertThatThrownBy(
            () ->
                RequestFile.parse(
                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\","
                        + "\"data\":[1,2]}]}"))
        .hasMessageContaining("input 'x': 2 data elements for shape [1, 3] (expected 3)");
  }

  @Test
  void anUnknownDatatypeIsNamed() {
    assertThatThrownBy(
            () ->
                RequestFile.parse(
                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FLOAT\","
                        + "\"data\":[1]}]}"))
        .hasMessageContaining("tensor 'x': unknown datatype 'FLOAT'");
  }

  @Test
  void aBodyWithoutInputsIsRejected() {
    assertThatThrownBy(() -> RequestFile.parse("{\"outputs\":[]}"))
        .hasMessageContaining("no 'inputs' array");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> RequestFile.read(Path.of("does/not/exist.json")))
        .hasMessageContaining("--input-data 'does/not/exist.json'");
  }

  @Test
  void aFileThatDoesNotExistIsNamedAsSuch(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path missing = dir.resolve("request.json");

    assertThatThrownBy(() -> RequestFile.read(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--input-data '" + missing + "' does not exist");
  }
}
