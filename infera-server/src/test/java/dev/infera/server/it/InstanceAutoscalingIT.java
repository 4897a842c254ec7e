package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.it.ProtocolClient.Call;
import dev.infera.server.it.ProtocolClient.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;

/**
 * In-process instance autoscaling on a real server with real Python workers: model {@code slow_py}
 * takes 40 ms per request on one instance (instance_autoscale_max 2, queue delay threshold 10 ms, 1
 * s windows, 3 s idle). Two clients keep it busy: the queue delay of one instance (about 20 ms) is
 * above the threshold, an instance is added (warmed with the model's warmup sample), and the queue
 * delay falls under the threshold; when the clients stop, the added instance is retired after the
 * idle period. No request fails throughout.
 */
class InstanceAutoscalingIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String SERIES = "{model=\"slow_py\",version=\"1\"}";

  @Test
  void aBurstAddsAnInstanceAndIdleRetiresIt() throws Exception {
    Path repo = Files.createTempDirectory("infera-autoscale");
    TestRepository.copyInto(TestRepository.resource("it/autoscale"), repo);
    ServerOptions options =
        ServerOptions.onFreePorts(repo)
            .withManager(ManagerOptions.defaults().withInstanceBudget(2));
    try (InferaServer server = InferaServer.start(options)) {
      int metrics = server.metricsPort();
      assertThat(instances(metrics)).isEqualTo(1);

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong answers = new AtomicLong();
      AtomicLong failures = new AtomicLong();
      AtomicReference<String> lastFailure = new AtomicReference<>("");
      ExecutorService clients = Executors.newFixedThreadPool(2);
      List<Future<?>> loops = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        float value = c;
        loops.add(
            clients.submit(
                () -> {
                  try (RestClient rest = new RestClient(server.httpPort(), false)) {
                    while (running.get()) {
                      Reply reply =
                          rest.infer(
                              Call.of(
                                  "slow_py",
                                  List.of(TestTensors.fp32("INPUT0", new long[] {1}, value))));
                      if (reply.outcome() == Outcome.OK
                          && TestTensors.numbers(reply.output("OUTPUT0"))[0] == value + 1) {
                        answers.incrementAndGet();
                      } else {
                        failures.incrementAndGet();
                        lastFailure.set(reply.outcome() + " " + reply.message());
                      }
                    }
                  }
                }));
      }
      try {
        awaitMetric(metrics, "infera_model_instances" + SERIES, v -> v == 2);
        awaitMetric(metrics, scaling("up"), v -> v == 1); // counted just after the gauge moved

        double[] before = queue(metrics);
        awaitAnswers(answers, answers.get() + 60);
        double[] after = queue(metrics);
        double meanDelaySeconds = (after[0] - before[0]) / (after[1] - before[1]);
        assertThat(meanDelaySeconds)
            .as("mean queue delay with two instances, seconds")
            .isLessThan(0.010);
        assertThat(instances(metrics)).as("no third instance: max is 2").isEqualTo(2);
      } finally {
        running.set(false);
        for (Future<?> loop : loops) {
          loop.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        clients.shutdown();
      }

      awaitMetric(metrics, "infera_model_instances" + SERIES, v -> v == 1);
      awaitMetric(metrics, scaling("down"), v -> v == 1);
      assertThat(failures.get()).as(lastFailure.get()).isZero();
      assertThat(answers.get()).isPositive();
      // the server still answers on the instance it kept
      try (RestClient rest = new RestClient(server.httpPort(), false)) {
        Reply reply =
            rest.infer(Call.of("slow_py", List.of(TestTensors.fp32("INPUT0", new long[] {1}, 5))));
        assertThat(reply.outcome()).as(reply.message()).isEqualTo(Outcome.OK);
      }
    }
  }

  private static String scaling(String direction) {
    return "infera_instance_scaling_total{direction=\""
        + direction
        + "\",model=\"slow_py\",version=\"1\"}";
  }

  private static double instances(int metrics) {
    return Metrics.value(metrics, "infera_model_instances" + SERIES);
  }

  /** The queue duration's sum (seconds) and count so far. */
  private static double[] queue(int metrics) {
    String text = Metrics.scrape(metrics);
    return new double[] {
      Metrics.value(text, "infera_inference_queue_duration_seconds_sum" + SERIES),
      Metrics.value(text, "infera_inference_queue_duration_seconds_count" + SERIES)
    };
  }

  private static void awaitMetric(int metrics, String series, DoublePredicate wanted)
      throws InterruptedException {
    Metrics.await(metrics, series, wanted, PATIENCE);
  }

  private static void awaitAnswers(AtomicLong answers, long target) throws InterruptedException {
    Instant end = Instant.now().plus(PATIENCE);
    while (answers.get() < target) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("only " + answers.get() + " answers of " + target);
      }
      Thread.sleep(50); // waiting for the clients' answers, not timing a behaviour
    }
  }
}
