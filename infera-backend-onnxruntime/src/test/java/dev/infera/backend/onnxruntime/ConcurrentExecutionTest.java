package dev.infera.backend.onnxruntime;

import static dev.infera.backend.onnxruntime.TestModels.int32;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.LoadedModel;
import dev.infera.spi.ModelInstance;
import dev.infera.spi.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several instances of one model run at the same time and each gets its own answers. */
class ConcurrentExecutionTest {
  private static final int INSTANCES = 3;
  private static final int RUNS_PER_INSTANCE = 200;

  private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend(() -> 2);
  private final AtomicInteger threadCount = new AtomicInteger();
  private final ExecutorService executor =
      Executors.newFixedThreadPool(
          INSTANCES, task -> new Thread(task, "test-instance-" + threadCount.incrementAndGet()));

  @AfterEach
  void shutDown() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    backend.close();
  }

  @Test
  void instancesWithOwnSessionsComputeCorrectlyInParallel() throws Exception {
    assertAllRunsCorrect(Map.of());
  }

  @Test
  void instancesSharingOneSessionComputeCorrectlyInParallel() throws Exception {
    assertAllRunsCorrect(Map.of("share_session_between_instances", "true"));
  }

  private void assertAllRunsCorrect(Map<String, String> parameters) throws Exception {
    try (LoadedModel model = backend.load(TestModels.request("simple", parameters, INSTANCES))) {
      CyclicBarrier start = new CyclicBarrier(INSTANCES);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        ModelInstance instance = model.newInstance(i);
        int seed = i;
        results.add(executor.submit(() -> runMany(instance, seed, start)));
      }

      for (Future<Integer> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(RUNS_PER_INSTANCE);
      }
    }
  }

  /** Runs distinct inputs and counts the runs whose outputs were exactly right. */
  private static int runMany(ModelInstance instance, int seed, CyclicBarrier start)
      throws Exception {
    try (instance) {
      start.await(30, TimeUnit.SECONDS);
      int correct = 0;
      for (int run = 0; run < RUNS_PER_INSTANCE; run++) {
        int batch = 1 + run % 4;
        int[] a = new int[batch * 16];
        int[] b = new int[batch * 16];
        for (int k = 0; k < a.length; k++) {
          a[k] = seed * 1_000_000 + run * 100 + k;
          b[k] = k - seed;
        }
        long[] shape = {batch, 16};
        List<Tensor> outputs =
            instance.execute(
                List.of(int32("INPUT0", shape, a), int32("INPUT1", shape, b)),
                List.of("OUTPUT0", "OUTPUT1"));
        if (matches(outputs, a, b)) {
          correct++;
        }
      }
      return correct;
    }
  }

  private static boolean matches(List<Tensor> outputs, int[] a, int[] b) {
    for (int k = 0; k < a.length; k++) {
      if (outputs.get(0).data().getInt(k * 4) != a[k] + b[k]
          || outputs.get(1).data().getInt(k * 4) != a[k] - b[k]) {
        return false;
      }
    }
    return true;
  }
}
