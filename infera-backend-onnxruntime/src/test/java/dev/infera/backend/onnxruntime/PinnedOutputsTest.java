package dev.infera.backend.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.infera.spi.DataType;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.Tensor;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outputs written into the instance's kept buffers: the same answers as ONNX Runtime's own outputs,
 * for every batch size in turn; outputs whose shape is not known before the run come back the
 * ordinary way; a model whose declared dimension names do not hold is answered correctly and pins
 * nothing afterwards.
 */
class PinnedOutputsTest {
  private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend(() -> 2);
  private LoadedModel model;
  private OnnxModelInstance instance;

  @AfterEach
  void close() {
    if (instance != null) {
      instance.close();
    }
    if (model != null) {
      model.close();
    }
    backend.close();
  }

  private void load(String name) {
    model = backend.load(TestModels.request(name));
    ModelInstance created = model.newInstance(0);
    instance = (OnnxModelInstance) created;
  }

  /** {@code rows} x {@code width} FP32 values: row r, column c holds seed + r * width + c. */
  private static Tensor rows(String name, int rows, int width, float seed) {
    return TestModels.direct(
        name,
        DataType.FP32,
        new long[] {rows, width},
        buffer -> {
          for (int i = 0; i < rows * width; i++) {
            buffer.putFloat(seed + i * 0.25f);
          }
        });
  }

  private static float[] floats(Tensor tensor) {
    FloatBuffer values = tensor.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] out = new float[values.remaining()];
    values.get(out);
    return out;
  }

  /** {@code stacked} holds the input's values twice, one copy after the other. */
  private static void assertStackedTwice(Tensor stacked, float[] in) {
    float[] values = floats(stacked);
    assertThat(values).hasSize(2 * in.length);
    for (int i = 0; i < in.length; i++) {
      assertThat(values[i]).isEqualTo(in[i]);
      assertThat(values[i + in.length]).isEqualTo(in[i]);
    }
  }

  @Test
  void batchesOfEverySizeInTurnGetTheAnswersOfTheOrdinaryPath() {
    load("tabular_mlp");
    OnnxModelInstance ordinary = (OnnxModelInstance) model.newInstance(1);
    ordinary.pinnedOutputs().disable();
    try {
      for (int batch : new int[] {1, 7, 256, 3, 1, 64}) {
        List<Tensor> inputs = List.of(rows("features", batch, 64, batch * 0.5f - 3));

        Tensor pinned = instance.execute(inputs, List.of("probabilities")).get(0);
        Tensor plain = ordinary.execute(inputs, List.of("probabilities")).get(0);

        assertThat(pinned.shape()).containsExactly(batch, 2);
        assertThat(pinned.data().remaining()).isEqualTo(batch * 2 * 4);
        assertThat(floats(pinned)).containsExactly(floats(plain));
      }
      assertThat(instance.pinnedOutputs().pinnedOutputsRead()).isEqualTo(6);
      assertThat(ordinary.pinnedOutputs().pinnedOutputsRead()).isZero();
    } finally {
      ordinary.close();
    }
  }

  @Test
  void anAnswerIsACopyThatTheNextBatchDoesNotOverwrite() {
    load("tabular_mlp");
    Tensor first =
        instance.execute(List.of(rows("features", 4, 64, 1)), List.of("probabilities")).get(0);
    float[] before = floats(first);

    instance.execute(List.of(rows("features", 4, 64, -7)), List.of("probabilities"));

    assertThat(floats(first)).containsExactly(before);
    assertThat(first.data().isDirect()).isFalse();
  }

  @Test
  void anOutputSizedByNoInputDimensionComesBackTheOrdinaryWayBesideAPinnedOne() {
    load("output_shapes");
    Tensor input = rows("INPUT0", 2, 3, 1);

    List<Tensor> outputs = instance.execute(List.of(input), List.of("STACKED", "COPY"));

    assertThat(outputs).extracting(Tensor::name).containsExactly("STACKED", "COPY");
    assertThat(outputs.get(0).shape()).containsExactly(4, 3);
    float[] in = floats(input);
    assertStackedTwice(outputs.get(0), in);
    assertThat(outputs.get(1).shape()).containsExactly(2, 3);
    assertThat(floats(outputs.get(1))).containsExactly(in);
    assertThat(instance.pinnedOutputs().pinnedOutputsRead()).isEqualTo(1);
    assertThat(instance.pinnedOutputs().disabled()).isFalse();
  }

  @Test
  void aDeclaredShapeThatDoesNotHoldIsAnsweredCorrectlyAndPinsNothingAfterwards() {
    load("output_shapes");
    Tensor input = rows("INPUT0", 2, 3, 5);

    List<Tensor> outputs = instance.execute(List.of(input), List.of("MISLABELLED", "COPY"));

    assertThat(outputs.get(0).shape()).containsExactly(4, 3);
    float[] in = floats(input);
    assertStackedTwice(outputs.get(0), in);
    assertThat(floats(outputs.get(1))).containsExactly(in);
    assertThat(instance.pinnedOutputs().disabled()).isTrue();

    List<Tensor> again = instance.execute(List.of(rows("INPUT0", 1, 3, 9)), List.of("COPY"));

    assertThat(floats(again.get(0))).containsExactly(9f, 9.25f, 9.5f);
    assertThat(instance.pinnedOutputs().pinnedOutputsRead()).isZero();
  }

  @Test
  void onlyOutputsWithAKnownShapeAndABufferTypeArePinned() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    String file = TestModels.versionDirectory("output_shapes").resolve("model.onnx").toString();
    try (OrtSession session = env.createSession(file)) {
      PinnedOutputs outputs = new PinnedOutputs(env, PinnedOutputs.Shapes.of(session));

      Map<String, PinnedOutputs.Pin> pins =
          outputs.pin(List.of(rows("INPUT0", 5, 3, 0)), List.of("STACKED", "MISLABELLED", "COPY"));
      try {
        assertThat(pins.keySet()).containsExactly("MISLABELLED", "COPY");
        assertThat(pins.get("COPY").shape()).containsExactly(5, 3);
        assertThat(pins.get("COPY").data().capacity()).isEqualTo(5 * 3 * 4);
      } finally {
        PinnedOutputs.close(pins);
      }
    }
  }
}
