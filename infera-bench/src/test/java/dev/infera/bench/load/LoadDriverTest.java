package dev.infera.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.bench.client.InferClient;
import dev.infera.bench.input.InputTensor;
import dev.infera.bench.input.TensorMeta;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a step counts of requests that end after its window, with a client that answers late. */
class LoadDriverTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private LoadDriver driver(Supplier<CompletableFuture<String>> send, Duration drain) {
    return new LoadDriver(
        new FakeClient(send), 1, Duration.ZERO, Duration.ofMillis(300), drain, null);
  }

  @Test
  void closedLoopRequestsLeftUnansweredCountAsFailures() throws Exception {
    // A server that never answers: before, a run printed 0 requests and 0 errors.
    StepResult step = driver(CompletableFuture::new, Duration.ofMillis(200)).closedLoop(4);

    assertThat(step.requests()).isZero();
    assertThat(step.errorCount()).isEqualTo(4);
    assertThat(step.errors()).containsOnlyKeys("no answer after the window within 200 ms");
  }

  @Test
  void closedLoopFailuresAfterTheWindowCountForTheRequestsSentInIt() throws Exception {
    // Each answer a timeout, a second after its request: all of them after the 300-ms window.
    StepResult step = driver(() -> later("timeout", 1000), Duration.ofSeconds(5)).closedLoop(3);

    assertThat(step.requests()).isZero();
    assertThat(step.errors()).containsExactly(java.util.Map.entry("timeout", 3L));
  }

  @Test
  void openLoopCountsEveryScheduledRequestWithItsLateAnswer() throws Exception {
    // 100 requests/s for 300 ms, each answered 500 ms after it was sent: all after the window.
    StepResult step = driver(() -> later(null, 500), Duration.ofSeconds(5)).openLoop(100, 1000);

    assertThat(step.requests()).isBetween(25L, 31L);
    assertThat(step.errorCount()).isZero();
    assertThat(step.latencies().percentileNanos(50)).isGreaterThanOrEqualTo(500_000_000L);
  }

  private CompletableFuture<String> later(String outcome, long millis) {
    CompletableFuture<String> answer = new CompletableFuture<>();
    timer.schedule(() -> answer.complete(outcome), millis, TimeUnit.MILLISECONDS);
    return answer;
  }

  /** A client whose every request ends as {@code send} says. */
  private record FakeClient(Supplier<CompletableFuture<String>> answers) implements InferClient {
    @Override
    public List<TensorMeta> metadata() {
      return List.of();
    }

    @Override
    public void prepare(List<InputTensor> inputs) {}

    @Override
    public CompletableFuture<String> send() {
      return answers.get();
    }

    @Override
    public void close() {}
  }
}
