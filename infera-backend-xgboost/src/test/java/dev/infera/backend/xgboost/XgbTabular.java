package dev.infera.backend.xgboost;

import dev.infera.spi.DataType;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import dev.infera.spi.conformance.ConformanceSample;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The xgb_tabular reference model (binary:logistic, 64 features) copied from the model zoo into the
 * test resources, with its samples: inputs {@code features}, outputs {@code probabilities} ([1 - p,
 * p]) and {@code margin} (log-odds).
 */
final class XgbTabular {
  static final int FEATURES = 64;
  static final Map<String, String> CLASSIFIER_WITH_PROBABILITIES =
      Map.of("output_class", "true", "predict_proba", "true");

  private XgbTabular() {}

  static Path root() {
    try {
      return Path.of(XgbTabular.class.getResource("/xgb_tabular").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path versionDirectory() {
    return root().resolve("1");
  }

  static List<ConformanceSample> samples() {
    return ConformanceSample.readAll(root().resolve("samples"));
  }

  /** The configuration Infera's docs give for the model: features → probabilities, margin. */
  static ModelSignature declared() {
    return new ModelSignature(
        List.of(new TensorSpec("features", DataType.FP32, new long[] {-1, FEATURES})),
        List.of(
            new TensorSpec("probabilities", DataType.FP32, new long[] {-1, 2}),
            new TensorSpec("margin", DataType.FP32, new long[] {-1})));
  }

  static ModelSignature nothingDeclared() {
    return new ModelSignature(List.of(), List.of());
  }

  static ModelLoadRequest request(
      Map<String, String> parameters,
      ModelSignature declared,
      Optional<String> fileName,
      int instances) {
    return request(versionDirectory(), parameters, declared, fileName, instances);
  }

  static ModelLoadRequest request(
      Path versionDirectory,
      Map<String, String> parameters,
      ModelSignature declared,
      Optional<String> fileName,
      int instances) {
    return new ModelLoadRequest(
        "xgb_tabular",
        1,
        versionDirectory,
        fileName,
        parameters,
        128,
        declared,
        instances,
        ModelLoadRequest.InstanceKind.CPU);
  }

  static Tensor floats(String name, long[] shape, float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return Tensor.of(name, DataType.FP32, shape, buffer);
  }

  static float[] values(Tensor tensor) {
    float[] values = new float[(int) tensor.elementCount()];
    tensor.data().asFloatBuffer().get(values);
    return values;
  }

  static Tensor output(ConformanceSample sample, String name) {
    return sample.expectedOutputs().stream()
        .filter(tensor -> tensor.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
