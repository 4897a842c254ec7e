package dev.infera.backend.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.ModelLoadRequest;
import dev.infera.spi.ModelLoadRequest.InstanceKind;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.RequestBatchInstance;
import dev.infera.spi.RequestBatchInstance.RequestOutcome;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The backend on its own with real Python workers (the interpreter in {@code INFERA_PYTHON}):
 * tensors larger than the initial shared memory in both directions, the requests of a batch kept
 * apart, Triton's {@code args}, and a bad interpreter named in the load error.
 */
class PythonBackendTest {
  private static final ModelSignature SIGNATURE =
      new ModelSignature(
          List.of(new TensorSpec("INPUT0", DataType.FP32, new long[] {-1, -1})),
          List.of(
              new TensorSpec("OUTPUT0", DataType.FP32, new long[] {-1, -1}),
              new TensorSpec("ARGS", DataType.BYTES, new long[] {-1, 4})));

  private static Path identity() {
    try {
      return Path.of(PythonBackendTest.class.getResource("/identity/1").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ModelLoadRequest request(Map<String, String> parameters) {
    return new ModelLoadRequest(
        "identity", 1, identity(), Optional.empty(), parameters, 8, SIGNATURE, 1, InstanceKind.CPU);
  }

  private static Tensor rows(int rows, int columns, float start) {
    ByteBuffer data = ByteBuffer.allocate(rows * columns * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < rows * columns; i++) {
      data.putFloat(start + i);
    }
    return Tensor.of("INPUT0", DataType.FP32, new long[] {rows, columns}, data.flip());
  }

  @Test
  void tensorsLargerThanTheSharedMemoryGrowItAndRequestsStayApart() {
    try (PythonBackend backend = new PythonBackend();
        LoadedModel model = backend.load(request(Map.of("shm-default-byte-size", "4096")));
        ModelInstance instance = model.newInstance(0)) {
      assertThat(model.signature()).isEqualTo(SIGNATURE);
      Tensor small = rows(1, 3, 0);
      Tensor large = rows(4, 100_000, 7); // 1.6 MB in, 1.6 MB out

      List<RequestOutcome> outcomes =
          ((RequestBatchInstance) instance)
              .executeRequests(List.of(List.of(small), List.of(large)), List.of("OUTPUT0", "ARGS"));

      assertThat(outcomes).hasSize(2);
      assertThat(outcomes.get(0).outputs().get(0).data()).isEqualTo(small.data());
      assertThat(outcomes.get(1).outputs().get(0).shape()).containsExactly(4, 100_000);
      assertThat(outcomes.get(1).outputs().get(0).data()).isEqualTo(large.data());
      List<byte[]> args = outcomes.get(0).outputs().get(1).elements();
      assertThat(args.stream().map(b -> new String(b, StandardCharsets.UTF_8)))
          .containsExactly("CPU", "identity_0", "1", "identity");
    }
  }

  @Test
  void anInterpreterThatDoesNotExistIsNamedInTheLoadError() {
    try (PythonBackend backend = new PythonBackend()) {
      assertThatThrownBy(
              () -> backend.load(request(Map.of("interpreter", "python-infera-missing"))))
          .isInstanceOfSatisfying(
              InferenceException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                assertThat(e.getMessage())
                    .contains("identity")
                    .contains("'python-infera-missing'")
                    .contains("not found");
              });
    }
  }

  @Test
  void closingTheBackendRemovesItsPythonFiles() {
    Path runtime;
    try (PythonBackend backend = new PythonBackend()) {
      backend.load(request(Map.of())).close();
      runtime = backend.runtimeDirectory();
      assertThat(runtime.resolve(RuntimeFiles.WORKER)).exists();
    }
    assertThat(runtime).doesNotExist();
  }
}
