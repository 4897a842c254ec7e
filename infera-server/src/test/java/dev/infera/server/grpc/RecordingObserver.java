package dev.infera.server.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** Records what a unary RPC answered: one value then completion, or an error. */
final class RecordingObserver<T> implements StreamObserver<T> {
  private volatile T value;
  final CompletableFuture<T> result = new CompletableFuture<>();

  @Override
  public void onNext(T next) {
    value = next;
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onCompleted() {
    result.complete(value);
  }

  T value() {
    return result.join();
  }

  Status status() {
    return Status.fromThrowable(result.handle((v, e) -> e).join());
  }
}
