package dev.infera.backend.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.infera.spi.DataType;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.NpyFile;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference models reproduce the outputs stored with their samples. */
class ReferenceSamplesTest {
  private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend(() -> 2);

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"case0", "case1", "case2"})
  void simpleAddsAndSubtractsExactly(String sample) throws IOException {
    List<Tensor> outputs = run("simple", sample);

    for (Tensor output : outputs) {
      assertThat(bytes(output.data()))
          .containsExactly(bytes(expected("simple", sample, output).data()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"case0", "case1", "case2"})
  void tabularMlpMatchesWithinTolerance(String sample) throws IOException {
    String meta = Files.readString(TestModels.root().resolve("tabular_mlp/meta.json"));
    double atol = number(meta, "atol");
    double rtol = number(meta, "rtol");

    Tensor output = run("tabular_mlp", sample).get(0);

    ByteBuffer got = output.data();
    ByteBuffer want = expected("tabular_mlp", sample, output).data();
    assertThat(output.dataType()).isEqualTo(DataType.FP32);
    assertThat(got.remaining()).isEqualTo(want.remaining());
    for (int i = 0; i < got.remaining() / 4; i++) {
      float expected = want.getFloat(i * 4);
      assertThat((double) got.getFloat(i * 4))
          .as("probabilities element %d", i)
          .isCloseTo(expected, within(atol + rtol * Math.abs(expected)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"case0", "case1", "case2"})
  void stringIdentityReturnsItsInputExactly(String sample) throws IOException {
    Tensor output = run("string_identity", sample).get(0);

    Tensor expected = expected("string_identity", sample, output);
    assertThat(output.dataType()).isEqualTo(DataType.BYTES);
    assertThat(output.shape()).containsExactly(expected.shape());
    assertThat(output.elements())
        .zipSatisfy(expected.elements(), (a, b) -> assertThat(a).isEqualTo(b));
  }

  @ParameterizedTest
  @ValueSource(strings = {"case0", "case1", "case2"})
  void fixedShapeMatchesWithinTolerance(String sample) throws IOException {
    Tensor output = run("fixed_shape", sample).get(0);

    ByteBuffer got = output.data();
    ByteBuffer want = expected("fixed_shape", sample, output).data();
    assertThat(output.shape()).containsExactly(4, 4);
    for (int i = 0; i < 16; i++) {
      float expected = want.getFloat(i * 4);
      assertThat(got.getFloat(i * 4))
          .as("y element %d", i)
          .isCloseTo(expected, within(1e-5f + 1e-5f * Math.abs(expected)));
    }
  }

  /** Runs a sample's inputs, asking for every output the sample has. */
  private List<Tensor> run(String model, String sample) throws IOException {
    Path folder = TestModels.root().resolve(model).resolve("samples").resolve(sample);
    List<Tensor> inputs = new ArrayList<>();
    List<String> outputNames = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder).sorted()) {
      for (Path file : files.toList()) {
        String[] parts = file.getFileName().toString().split("\\.");
        if (parts[0].equals("input")) {
          inputs.add(NpyFile.open(file).all(parts[1]));
        } else if (parts[0].equals("output")) {
          outputNames.add(parts[1]);
        }
      }
    }
    try (LoadedModel loaded = backend.load(TestModels.request(model));
        ModelInstance instance = loaded.newInstance(0)) {
      List<Tensor> outputs = instance.execute(inputs, outputNames);
      assertThat(outputs).extracting(Tensor::name).containsExactlyElementsOf(outputNames);
      return outputs;
    }
  }

  private static Tensor expected(String model, String sample, Tensor output) throws IOException {
    Path file =
        TestModels.root()
            .resolve(model)
            .resolve("samples")
            .resolve(sample)
            .resolve("output." + output.name() + ".npy");
    Tensor expected = NpyFile.open(file).all(output.name());
    assertThat(output.shape()).containsExactly(expected.shape());
    return expected;
  }

  private static double number(String json, String key) {
    Matcher matcher = Pattern.compile("\"" + key + "\":\\s*([-0-9.eE+]+)").matcher(json);
    assertThat(matcher.find()).as("meta.json has %s", key).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
