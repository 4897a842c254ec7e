package dev.infera.backend.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.DataType;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Heap inputs go through one direct buffer per input that the instance keeps between batches. */
class StagingTest {

  /**
   * An INT32 tensor of {@code rows} x 16 over a heap buffer: row r, column c holds base + r*16+c.
   */
  private static Tensor heap(String name, int rows, int base) {
    ByteBuffer data = ByteBuffer.allocate(rows * 16 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < rows * 16; i++) {
      data.putInt(base + i);
    }
    data.flip();
    return Tensor.of(name, DataType.INT32, new long[] {rows, 16}, data);
  }

  @Test
  void theSameBufferServesEveryBatchThatFitsAndALargerOneReplacesIt() {
    InputTensorFactory.Staging staging = new InputTensorFactory.Staging();

    ByteBuffer first = staging.copy(heap("x", 2, 0));
    ByteBuffer smaller = staging.copy(heap("x", 1, 100));
    ByteBuffer larger = staging.copy(heap("x", 3, 200));

    assertThat(first.isDirect()).isTrue();
    assertThat(smaller).isSameAs(first);
    assertThat(smaller.remaining()).isEqualTo(16 * 4);
    assertThat(larger).isNotSameAs(first);
    assertThat(larger.order()).isEqualTo(ByteOrder.nativeOrder());
    assertThat(larger.getInt(0)).isEqualTo(200);
    assertThat(larger.getInt(3 * 16 * 4 - 4)).isEqualTo(200 + 47);
    assertThat(staging.keptBytes()).isEqualTo(3 * 16 * 4);
  }

  @Test
  void eachInputHasItsOwnBufferAndTheSourceIsNotMoved() {
    InputTensorFactory.Staging staging = new InputTensorFactory.Staging();
    Tensor a = heap("a", 1, 0);
    Tensor b = heap("b", 1, 1000);

    ByteBuffer forA = staging.copy(a);
    ByteBuffer forB = staging.copy(b);

    assertThat(forA).isNotSameAs(forB);
    assertThat(forA.getInt(0)).isZero();
    assertThat(forB.getInt(0)).isEqualTo(1000);
    assertThat(a.data().position()).isZero();
    assertThat(staging.keptBytes()).isEqualTo(2 * 16 * 4);
  }

  @Test
  void batchesOfHeapInputsOfChangingSizesGiveTheirOwnAnswers() {
    try (OnnxRuntimeBackend backend = new OnnxRuntimeBackend(() -> 2);
        LoadedModel model = backend.load(TestModels.request("simple"))) {
      ModelInstance instance = model.newInstance(0);
      try {
        int[][] batches = {{2, 10}, {3, 500}, {1, 7}, {3, 9000}};
        for (int[] batch : batches) {
          int rows = batch[0];
          int base = batch[1];
          List<Tensor> outputs =
              instance.execute(
                  List.of(heap("INPUT0", rows, base), heap("INPUT1", rows, 1)),
                  List.of("OUTPUT0", "OUTPUT1"));

          ByteBuffer sum = outputs.get(0).data();
          ByteBuffer difference = outputs.get(1).data();
          for (int i = 0; i < rows * 16; i++) {
            assertThat(sum.getInt(i * 4)).isEqualTo(base + i + 1 + i);
            assertThat(difference.getInt(i * 4)).isEqualTo(base - 1);
          }
        }
      } finally {
        instance.close();
      }
    }
  }
}
