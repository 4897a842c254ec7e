package dev.infera.bench.client;

import dev.infera.bench.input.InputTensor;
import dev.infera.bench.input.TensorMeta;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends inference requests for one model. Thread-safe; {@link #send} never blocks.
 *
 * <p>Lifecycle: {@link #metadata} (optional), then {@link #prepare} once, then {@link #send} any
 * number of times from any thread, then {@link #close}.
 */
public interface InferClient extends AutoCloseable {

  /**
   * The model's inputs from its KServe v2 metadata; blocks until the server answers.
   *
   * @throws IllegalStateException naming the model and the server's answer when it has none
   */
  List<TensorMeta> metadata();

  /** Encodes the request every later {@link #send} sends. */
  void prepare(List<InputTensor> inputs);

  /**
   * Sends the prepared request once.
   *
   * @return completes with {@code null} on success, or with a short error kind ({@code "http 503"},
   *     {@code "grpc UNAVAILABLE"}, {@code "transport ConnectException"}); never completes
   *     exceptionally
   */
  CompletableFuture<String> send();

  /**
   * Sends the prepared request once more, outside any measurement, and returns what the server said
   * about it when it failed (its error message), or an empty string. For saying why a run could not
   * start.
   */
  default String failureDetail() {
    return "";
  }

  @Override
  void close();

  /** The kind of a transport failure, for counting errors by kind. */
  static String transportError(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return "transport " + cause.getClass().getSimpleName();
  }
}
