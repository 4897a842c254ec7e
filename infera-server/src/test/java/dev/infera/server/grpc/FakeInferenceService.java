package dev.infera.server.grpc;

import dev.infera.core.InferenceRequest;
import dev.infera.core.InferenceResponse;
import dev.infera.core.InferenceService;
import dev.infera.core.ModelMetadata;
import dev.infera.core.ServerMetadata;
import dev.infera.spi.DataType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Stands in for the engine, which these tests do not exercise. Models:
 *
 * <ul>
 *   <li>{@code echo}: answers each input {@code INPUTn} as output {@code OUTPUTn}, version 1;
 *   <li>{@code echo-later}: the same, answered from another thread, as an engine does;
 *   <li>{@code pending}: never answers on its own; its futures are handed to the test through
 *       {@link #pending} so it can watch them being cancelled;
 *   <li>{@code broken}: fails with an unexpected exception;
 *   <li>{@code busy}: fails with {@code UNAVAILABLE};
 *   <li>anything else: {@code NOT_FOUND}.
 * </ul>
 */
final class FakeInferenceService implements InferenceService {
  final LinkedBlockingQueue<CompletableFuture<InferenceResponse>> pending =
      new LinkedBlockingQueue<>();
  volatile InferenceRequest lastRequest;

  @Override
  public CompletableFuture<InferenceResponse> infer(InferenceRequest request) {
    lastRequest = request;
    return switch (request.modelName()) {
      case "echo" -> CompletableFuture.completedFuture(echo(request));
      case "echo-later" -> {
        CompletableFuture<InferenceResponse> future = new CompletableFuture<>();
        new Thread(() -> future.complete(echo(request)), "fake-engine").start();
        yield future;
      }
      case "pending" -> {
        CompletableFuture<InferenceResponse> future = new CompletableFuture<>();
        pending.add(future);
        yield future;
      }
      case "broken" -> CompletableFuture.failedFuture(new IllegalStateException("secret detail"));
      case "busy" ->
          CompletableFuture.failedFuture(
              new InferenceException(ErrorCode.UNAVAILABLE, "model 'busy': queue is full"));
      default -> throw notFound(request.modelName());
    };
  }

  private static InferenceResponse echo(InferenceRequest request) {
    List<Tensor> outputs =
        request.inputs().stream()
            .map(input -> input.withName(input.name().replace("INPUT", "OUTPUT")))
            .toList();
    return new InferenceResponse("echo", "1", Optional.empty(), outputs, Map.of());
  }

  @Override
  public ServerMetadata serverMetadata() {
    return new ServerMetadata("infera", "0.1.0", List.of("model_repository"));
  }

  @Override
  public ModelMetadata modelMetadata(String modelName, Optional<String> version) {
    if (!modelName.equals("echo")) {
      throw notFound(modelName);
    }
    return new ModelMetadata(
        "echo",
        List.of("1"),
        "fake",
        List.of(new TensorSpec("INPUT0", DataType.FP32, new long[] {-1, 4})),
        List.of(new TensorSpec("OUTPUT0", DataType.FP32, new long[] {-1, 4})),
        8);
  }

  @Override
  public boolean isModelReady(String modelName, Optional<String> version) {
    return modelName.equals("echo");
  }

  @Override
  public boolean isLive() {
    return true;
  }

  @Override
  public boolean isReady() {
    return true;
  }

  private static InferenceException notFound(String modelName) {
    return InferenceException.notFound("model '" + modelName + "' is not in the repository");
  }
}
