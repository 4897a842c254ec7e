package dev.infera.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.InferenceRequest;
import dev.infera.core.config.ModelConfigParser;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tensors each kind of warmup data makes. */
class WarmupSamplesTest {
  @TempDir Path model;

  private static ModelConfig config(int maxBatchSize, String type, String dims, String data) {
    return ModelConfigParser.parse(
        "max_batch_size: "
            + maxBatchSize
            + "\nmodel_warmup [ { name: \"s\" batch_size: 3 inputs { key: \"in\" value: {"
            + " data_type: "
            + type
            + " dims: "
            + dims
            + " "
            + data
            + " } } } ]\n",
        "test");
  }

  private Tensor only(ModelConfig config) {
    InferenceRequest request = WarmupSamples.requests(config, "m", model).get(0).getValue();
    return request.inputs().get(0);
  }

  @Test
  void zeroDataHasTheBatchDimensionAndZeros() {
    Tensor tensor = only(config(4, "TYPE_FP32", "[ 2, 2 ]", "zero_data: true"));

    assertThat(tensor.shape()).containsExactly(3, 2, 2);
    assertThat(tensor.dataType()).isEqualTo(DataType.FP32);
    ByteBuffer data = tensor.data();
    while (data.hasRemaining()) {
      assertThat(data.get()).isZero();
    }
  }

  @Test
  void modelWithoutBatchingGetsTheDimsAlone() {
    Tensor tensor = only(config(0, "TYPE_INT64", "[ 5 ]", "random_data: true"));

    assertThat(tensor.shape()).containsExactly(5);
  }

  @Test
  void randomFloatsLieInZeroToOne() {
    ByteBuffer data = only(config(4, "TYPE_FP32", "[ 64 ]", "random_data: true")).data();

    while (data.hasRemaining()) {
      assertThat(data.getFloat()).isBetween(0f, 1f);
    }
  }

  @Test
  void dataFileRowIsRepeatedForEachBatchRow() throws IOException {
    Files.createDirectories(model.resolve("warmup"));
    Files.write(
        model.resolve("warmup/in.bin"),
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(7).putInt(9).array());

    Tensor tensor = only(config(4, "TYPE_INT32", "[ 2 ]", "input_data_file: \"in.bin\""));

    assertThat(tensor.shape()).containsExactly(3, 2);
    assertThat(tensor.data().getInt(16)).isEqualTo(7);
    assertThat(tensor.data().getInt(20)).isEqualTo(9);
  }

  @Test
  void stringDataFileHoldsLengthPrefixedElements() throws IOException {
    Files.createDirectories(model.resolve("warmup"));
    byte[] text = "hi".getBytes(StandardCharsets.UTF_8);
    Files.write(
        model.resolve("warmup/in.bin"),
        ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putInt(2).put(text).array());

    Tensor tensor = only(config(4, "TYPE_STRING", "[ 1 ]", "input_data_file: \"in.bin\""));

    assertThat(tensor.elements()).hasSize(3).allSatisfy(e -> assertThat(e).isEqualTo(text));
  }

  @Test
  void dataFileOfTheWrongSizeIsNamed() throws IOException {
    Files.createDirectories(model.resolve("warmup"));
    Files.write(model.resolve("warmup/in.bin"), new byte[5]);

    assertThatThrownBy(() -> only(config(4, "TYPE_INT32", "[ 2 ]", "input_data_file: \"in.bin\"")))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("in.bin holds 5 bytes (expected 8 for one row)");
  }
}
