package dev.infera.backend.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.DataType;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputCheckTest {
  private static final ModelSignature SIGNATURE =
      new ModelSignature(
          List.of(new TensorSpec("IN", DataType.FP32, new long[] {-1, 4})),
          List.of(new TensorSpec("OUT", DataType.FP32, new long[] {-1, 2})));
  private final OutputCheck check = new OutputCheck("model 'm' version 1", SIGNATURE, true);

  private static Tensor fp32(String name, long... shape) {
    return Tensor.of(
        name, DataType.FP32, shape, ByteBuffer.allocate((int) Tensor.elementCount(shape) * 4));
  }

  @Test
  void rightOutputsPass() {
    assertThat(check.problem(List.of(fp32("IN", 3, 4)), List.of(fp32("OUT", 3, 2)))).isNull();
  }

  @Test
  void anotherTypeIsNamed() {
    Tensor fp64 = Tensor.of("OUT", DataType.FP64, new long[] {3, 2}, ByteBuffer.allocate(48));

    assertThat(check.problem(List.of(fp32("IN", 3, 4)), List.of(fp64)).getMessage())
        .isEqualTo(
            "model 'm' version 1: model.py output 'OUT' is FP64 (expected FP32, as the"
                + " configuration declares)");
  }

  @Test
  void anotherBatchSizeOrDimensionIsNamed() {
    assertThat(check.problem(List.of(fp32("IN", 3, 4)), List.of(fp32("OUT", 2, 2))).getMessage())
        .contains("output 'OUT' has shape [2, 2] (expected [3, 2]");
    assertThat(check.problem(List.of(fp32("IN", 3, 4)), List.of(fp32("OUT", 3, 5))).getMessage())
        .contains("output 'OUT' has shape [3, 5] (expected [3, 2]");
    assertThat(check.problem(List.of(fp32("IN", 3, 4)), List.of(fp32("OUT", 6))).getMessage())
        .contains("output 'OUT' has shape [6]");
  }

  @Test
  void anUndeclaredOutputIsNamed() {
    assertThat(check.problem(List.of(fp32("IN", 3, 4)), List.of(fp32("EXTRA", 3, 2))).getMessage())
        .contains("returned output 'EXTRA', which the configuration lacks");
  }
}
