package dev.infera.core.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.InferenceException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Reads the failure of a completed future. */
final class Failures {
  private Failures() {}

  /** The InferenceException a future already failed with; fails the test otherwise. */
  static InferenceException failure(CompletableFuture<?> future) {
    assertThat(future).isCompletedExceptionally();
    try {
      future.join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(InferenceException.class);
      return (InferenceException) e.getCause();
    }
    throw new AssertionError("unreachable: the future failed");
  }
}
