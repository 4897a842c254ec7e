package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.it.ScoreModels.Candidate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Canary rollouts on a real server with real ONNX models that differ in a controlled way, under 32
 * concurrent clients (8 per model): an identical candidate is promoted through every step, a
 * shifted one is rolled back by the output check, a failing one by the error check while its
 * clients still get right answers through fallback, a slower one by the latency check; a restart
 * resumes a rollout at its step, under 32 clients of that one model. No client request fails. The
 * latency limit is the default 1.5× for the slow candidate and 3× for the others (20× where latency
 * is not the subject): on a shared machine an identical version's p99 can differ by 2× for a few
 * seconds, and the slow candidate's compute slows every model on the machine, which narrows its own
 * ratio.
 */
class RolloutIT {
  private static final Duration PATIENCE = Duration.ofMinutes(2);
  private static final String ROLLOUT =
      """
      {"candidate": "2", "steps": [20, 50, 100], "step_duration": "3s", "min_requests": 150,
       "max_extensions": 60, "max_p99_ratio": %s}
      """;

  @Test
  void fourCandidatesAreJudgedUnderLoadWithoutAFailedRequest() throws Exception {
    Path repo = Files.createTempDirectory("infera-rollout");
    for (Candidate candidate : Candidate.values()) {
      ScoreModels.add(repo, candidate.name().toLowerCase(), candidate);
    }
    try (InferaServer server = InferaServer.start(ServerOptions.onFreePorts(repo))) {
      TrafficAdmin admin = new TrafficAdmin(server.httpPort());
      for (Candidate candidate : Candidate.values()) { // keep version 2 dark until its rollout
        admin.ok(
            "PUT",
            "/v2/models/" + candidate.name().toLowerCase() + "/traffic",
            "{\"split\": [{\"version\": \"1\", \"weight\": 100}]}");
      }
      List<ScoreTraffic> loads = new ArrayList<>();
      for (Candidate candidate : Candidate.values()) {
        loads.add(
            ScoreTraffic.start(
                server.httpPort(),
                candidate.name().toLowerCase(),
                8,
                candidate == Candidate.SHIFTED ? 3.0 : 0.0));
      }
      for (Candidate candidate : Candidate.values()) {
        String maxP99Ratio = candidate == Candidate.SLOW ? "1.5" : "3";
        admin.ok(
            "POST",
            "/v2/models/" + candidate.name().toLowerCase() + "/rollout",
            ROLLOUT.formatted(maxP99Ratio));
      }

      JsonNode same = admin.awaitStatus("same", TrafficAdmin.finished(), PATIENCE);
      JsonNode shifted = admin.awaitStatus("shifted", TrafficAdmin.finished(), PATIENCE);
      JsonNode failing = admin.awaitStatus("failing", TrafficAdmin.finished(), PATIENCE);
      JsonNode slow = admin.awaitStatus("slow", TrafficAdmin.finished(), PATIENCE);
      for (ScoreTraffic load : loads) {
        load.close();
      }

      assertThat(same.path("state").asText()).as(same.toPrettyString()).isEqualTo("PROMOTED");
      assertThat(same.path("weight").asInt()).isEqualTo(100);
      JsonNode history = admin.ok("GET", "/v2/models/same/rollout/history", null);
      assertThat(decisions(history)).containsExactly("start", "step", "step", "promote");

      assertThat(shifted.path("state").asText())
          .as(shifted.toPrettyString())
          .isEqualTo("ROLLED_BACK");
      assertThat(shifted.path("reason").asText()).contains("output:OUTPUT0");

      assertThat(failing.path("state").asText())
          .as(failing.toPrettyString())
          .isEqualTo("ROLLED_BACK");
      assertThat(failing.path("reason").asText()).contains("error_rate");

      assertThat(slow.path("state").asText()).as(slow.toPrettyString()).isEqualTo("ROLLED_BACK");
      assertThat(slow.path("reason").asText()).contains("latency");

      for (int i = 0; i < loads.size(); i++) {
        ScoreTraffic load = loads.get(i);
        assertThat(load.failures.sum())
            .as(Candidate.values()[i] + ": " + load.lastFailureText)
            .isZero();
        assertThat(load.wrong.sum()).as(Candidate.values()[i] + " wrong answers").isZero();
        assertThat(load.answers.sum()).isPositive();
      }
      // after a rollback every request naming no version goes to the stable version again
      ScoreTraffic after = ScoreTraffic.start(server.httpPort(), "failing", 2, 0);
      while (after.answers.sum() < 50) {
        Thread.onSpinWait();
      }
      after.close();
      assertThat(after.versionCount("2")).isZero();
      assertThat(after.failures.sum()).isZero();

      String metrics = Metrics.scrape(server.metricsPort());
      assertThat(metrics).contains("infera_rollout_state{model=\"same\",state=\"PROMOTED\"} 1.0");
      assertThat(metrics)
          .contains("infera_variant_requests_total{model=\"failing\",variant=\"2\"}");
      assertThat(metrics)
          .contains("infera_rollout_judgements_total{model=\"shifted\",verdict=\"FAIL\"}");
    }
  }

  @Test
  void aRestartedServerResumesTheRolloutAtTheSameStep() throws Exception {
    Path repo = Files.createTempDirectory("infera-rollout-restart");
    Path state = Files.createTempDirectory("infera-state");
    ScoreModels.add(repo, "same", Candidate.SAME);
    ServerOptions options = ServerOptions.onFreePorts(repo).withStateDir(state);
    try (InferaServer first = InferaServer.start(options)) {
      TrafficAdmin admin = new TrafficAdmin(first.httpPort());
      try (ScoreTraffic load = ScoreTraffic.start(first.httpPort(), "same", 32, 0)) {
        admin.ok(
            "POST",
            "/v2/models/same/rollout",
            """
            {"candidate": "2", "steps": [10, 60, 100], "step_duration": "3s", "min_requests": 30,
             "max_extensions": 60, "max_p99_ratio": 20}
            """);
        admin.awaitStatus("same", s -> s.path("step").asInt() == 2, PATIENCE);
        assertThat(load.failures.sum()).isZero();
      }
    }
    try (InferaServer second = InferaServer.start(options)) {
      TrafficAdmin admin = new TrafficAdmin(second.httpPort());
      JsonNode resumed = admin.status("same");
      assertThat(resumed.path("state").asText()).isEqualTo("RUNNING");
      assertThat(resumed.path("step").asInt()).isEqualTo(2);
      assertThat(resumed.path("weight").asInt()).isEqualTo(60);
      try (ScoreTraffic load = ScoreTraffic.start(second.httpPort(), "same", 32, 0)) {
        JsonNode done = admin.awaitStatus("same", TrafficAdmin.finished(), PATIENCE);
        assertThat(done.path("state").asText()).as(done.toPrettyString()).isEqualTo("PROMOTED");
        load.close();
        assertThat(load.failures.sum()).isZero();
      }
      JsonNode history = admin.ok("GET", "/v2/models/same/rollout/history", null);
      assertThat(decisions(history)).containsExactly("start", "step", "step", "promote");
    }
  }

  /** The rollout's decisions, leaving out extensions of inconclusive steps and policy changes. */
  private static List<String> decisions(JsonNode history) {
    return history.findValuesAsText("decision").stream()
        .filter(d -> !d.equals("extend") && !d.equals("policy"))
        .toList();
  }
}
