package dev.infera.backend.onnxruntime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.DataType;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The signature is read from the model file: names, types, shapes, order. */
class SignatureTest {
  private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend(() -> 2);

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  @Test
  void symbolicDimensionsBecomeMinusOne() {
    assertThat(signature("identity_fp32"))
        .isEqualTo(
            new ModelSignature(
                List.of(new TensorSpec("INPUT0", DataType.FP32, new long[] {-1, 3})),
                List.of(new TensorSpec("OUTPUT0", DataType.FP32, new long[] {-1, 3}))));
  }

  @Test
  void fixedDimensionsAreKept() {
    ModelSignature signature = signature("fixed_shape");

    assertThat(signature.inputs())
        .containsExactly(new TensorSpec("x", DataType.FP32, new long[] {4, 4}));
    assertThat(signature.outputs())
        .containsExactly(new TensorSpec("y", DataType.FP32, new long[] {4, 4}));
  }

  @Test
  void inputsAndOutputsKeepTheModelsOrder() {
    ModelSignature signature = signature("simple");

    assertThat(signature.inputs()).extracting(TensorSpec::name).containsExactly("INPUT0", "INPUT1");
    assertThat(signature.outputs())
        .extracting(TensorSpec::name)
        .containsExactly("OUTPUT0", "OUTPUT1");
    assertThat(signature.inputs()).extracting(TensorSpec::dataType).containsOnly(DataType.INT32);
  }

  @Test
  void stringTensorsAreBytes() {
    assertThat(signature("string_identity").inputs())
        .containsExactly(new TensorSpec("INPUT0", DataType.BYTES, new long[] {-1, 1}));
  }

  @Test
  void unsignedAndHalfTypesAreReported() {
    assertThat(signature("identity_uint64").inputs().get(0).dataType()).isEqualTo(DataType.UINT64);
    assertThat(signature("identity_fp16").inputs().get(0).dataType()).isEqualTo(DataType.FP16);
    assertThat(signature("identity_bf16").inputs().get(0).dataType()).isEqualTo(DataType.BF16);
  }

  private ModelSignature signature(String model) {
    try (LoadedModel loaded = backend.load(TestModels.request(model))) {
      return loaded.signature();
    }
  }
}
