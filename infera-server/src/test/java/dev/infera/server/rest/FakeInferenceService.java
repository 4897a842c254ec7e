package dev.infera.server.rest;

import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.InferenceService;
import dev.infera.core.ModelMetadata;
import dev.infera.core.ServerMetadata;
import dev.infera.spi.DataType;
import dev.infera.spi.InferenceException;
import dev.infera.spi.TensorSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Stands in for the engine in the REST frontend's tests: knows one model, {@code echo}, and by
 * default answers an inference with its inputs as outputs. Tests swap the behaviour through the
 * fields; it runs in the test's JVM, so no model or backend is needed.
 */
final class FakeInferenceService implements InferenceService {
  static final String MODEL = "echo";

  volatile boolean live = true;
  volatile boolean ready = true;
  volatile boolean modelReady = true;
  volatile InferenceRequest lastRequest;
  volatile Function<InferenceRequest, CompletableFuture<InferenceResponse>> infer =
      FakeInferenceService::echo;

  static CompletableFuture<InferenceResponse> echo(InferenceRequest request) {
    return CompletableFuture.completedFuture(
        new InferenceResponse(
            request.modelName(),
            request.modelVersion().orElse("1"),
            request.id(),
            request.inputs(),
            Map.of()));
  }

  @Override
  public CompletableFuture<InferenceResponse> infer(InferenceRequest request) {
    lastRequest = request;
    if (!request.modelName().equals(MODEL)) {
      return CompletableFuture.failedFuture(
          InferenceException.notFound("model '" + request.modelName() + "' is not known"));
    }
    return infer.apply(request);
  }

  @Override
  public ServerMetadata serverMetadata() {
    return new ServerMetadata("infera", "0.1.0", List.of("binary_tensor_data"));
  }

  @Override
  public ModelMetadata modelMetadata(String modelName, Optional<String> version) {
    if (!modelName.equals(MODEL) || version.filter(v -> !v.equals("1")).isPresent()) {
      throw InferenceException.notFound("model '" + modelName + "' is not known");
    }
    return new ModelMetadata(
        MODEL,
        List.of("1"),
        "onnxruntime_onnx",
        List.of(new TensorSpec("x", DataType.FP32, new long[] {-1, 4})),
        List.of(new TensorSpec("y", DataType.FP32, new long[] {-1, 4})),
        8);
  }

  @Override
  public boolean isModelReady(String modelName, Optional<String> version) {
    return modelName.equals(MODEL) && modelReady;
  }

  @Override
  public boolean isLive() {
    return live;
  }

  @Override
  public boolean isReady() {
    return ready;
  }
}
