package dev.infera.backend.onnxruntime;

import dev.infera.spi.DataType;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import dev.infera.spi.conformance.BackendConformanceTest;
import dev.infera.spi.conformance.ConformanceModel;
import dev.infera.spi.conformance.ConformanceSample;
import dev.infera.spi.conformance.Tolerance;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared backend conformance suite on the ONNX Runtime backend: the zoo models with reference
 * samples (tabular_mlp, simple, string_identity, fixed_shape) and one Identity model per remaining
 * data type, fed with values made here.
 */
class OnnxRuntimeConformanceTest extends BackendConformanceTest {
  private static final Set<DataType> ZOO_TYPES =
      EnumSet.of(DataType.FP32, DataType.INT32, DataType.BYTES);

  @Override
  protected String backendName() {
    return "onnxruntime";
  }

  @Override
  protected Set<DataType> dataTypes() {
    return EnumSet.allOf(DataType.class);
  }

  @Override
  protected List<ConformanceModel> fixtures() {
    List<ConformanceModel> fixtures = new ArrayList<>();
    fixtures.add(
        zoo(
            "tabular_mlp",
            64,
            signature(
                List.of(spec("features", DataType.FP32, -1, 64)),
                List.of(spec("probabilities", DataType.FP32, -1, 2))),
            new Tolerance(1e-5, 1e-4)));
    fixtures.add(
        zoo(
            "simple",
            8,
            signature(
                List.of(
                    spec("INPUT0", DataType.INT32, -1, 16), spec("INPUT1", DataType.INT32, -1, 16)),
                List.of(
                    spec("OUTPUT0", DataType.INT32, -1, 16),
                    spec("OUTPUT1", DataType.INT32, -1, 16))),
            Tolerance.exact()));
    fixtures.add(
        zoo(
            "string_identity",
            8,
            signature(
                List.of(spec("INPUT0", DataType.BYTES, -1, 1)),
                List.of(spec("OUTPUT0", DataType.BYTES, -1, 1))),
            Tolerance.exact()));
    fixtures.add(
        zoo(
            "fixed_shape",
            0,
            signature(
                List.of(spec("x", DataType.FP32, 4, 4)), List.of(spec("y", DataType.FP32, 4, 4))),
            new Tolerance(1e-5, 1e-5)));
    for (DataType type : DataType.values()) {
      if (!ZOO_TYPES.contains(type)) {
        fixtures.add(identity(type));
      }
    }
    return fixtures;
  }

  private static ConformanceModel zoo(
      String name, int maxBatchSize, ModelSignature signature, Tolerance tolerance) {
    return new ConformanceModel(
        name,
        TestModels.versionDirectory(name),
        Optional.empty(),
        Map.of(),
        maxBatchSize,
        new ModelSignature(List.of(), List.of()),
        signature,
        ConformanceSample.readAll(TestModels.root().resolve(name).resolve("samples")),
        tolerance);
  }

  /** identity_<type>: INPUT0 [-1, 3] → OUTPUT0, unchanged; cases of 1 and 2 rows. */
  private static ConformanceModel identity(DataType type) {
    String name = "identity_" + type.name().toLowerCase(Locale.ROOT);
    List<ConformanceSample> samples = new ArrayList<>();
    for (int rows = 1; rows <= 2; rows++) {
      Tensor input = identityInput(type, rows);
      samples.add(
          new ConformanceSample("rows" + rows, List.of(input), List.of(input.withName("OUTPUT0"))));
    }
    return new ConformanceModel(
        name,
        TestModels.versionDirectory(name),
        Optional.empty(),
        Map.of(),
        8,
        new ModelSignature(List.of(), List.of()),
        signature(List.of(spec("INPUT0", type, -1, 3)), List.of(spec("OUTPUT0", type, -1, 3))),
        samples,
        Tolerance.exact());
  }

  /** Distinct, valid values of the type (0/1 for BOOL, finite numbers for floating point). */
  private static Tensor identityInput(DataType type, int rows) {
    long[] shape = {rows, 3};
    int count = rows * 3;
    if (type == DataType.BYTES) {
      List<byte[]> elements = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        elements.add(("value " + k).getBytes(StandardCharsets.UTF_8));
      }
      return Tensor.ofBytes("INPUT0", shape, elements);
    }
    ByteBuffer data = ByteBuffer.allocate(count * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < count; k++) {
      switch (type) {
        case BOOL -> data.put((byte) (k % 2));
        case INT8, UINT8 -> data.put((byte) (k * 37 - 100));
        case INT16, UINT16 -> data.putShort((short) (k * 1009 - 3000));
        case INT32, UINT32 -> data.putInt(k * 100_003 - 7);
        case INT64, UINT64 -> data.putLong(k * (1L << 40) - 5);
        case FP16 -> data.putShort((short) (0x3C00 + k));
        case BF16 -> data.putShort((short) (0x3F80 + k));
        case FP32 -> data.putFloat(k * 0.5f - 1);
        case FP64 -> data.putDouble(k * 0.25 - 2);
        default -> throw new IllegalArgumentException(type.name());
      }
    }
    data.flip();
    return Tensor.of("INPUT0", type, shape, data);
  }

  private static ModelSignature signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    return new ModelSignature(inputs, outputs);
  }

  private static TensorSpec spec(String name, DataType type, long... shape) {
    return new TensorSpec(name, type, shape);
  }
}
