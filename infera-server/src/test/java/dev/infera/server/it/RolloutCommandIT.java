package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.cli.CommandRun;
import dev.infera.server.it.ScoreModels.Candidate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code infera rollout start|status|promote|abort|history} against a running server: each prints
 * the server's answer in readable lines, exit code 0; 1 with the server's message when it refuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutCommandIT {
  private InferaServer server;
  private String url;

  @BeforeAll
  void start() throws IOException {
    Path repo = Files.createTempDirectory("infera-rollout-cli");
    ScoreModels.add(repo, "score", Candidate.SAME);
    server = InferaServer.start(ServerOptions.onFreePorts(repo));
    url = "http://127.0.0.1:" + server.httpPort();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private CommandRun run(String... args) {
    String[] withUrl = new String[args.length + 2];
    System.arraycopy(args, 0, withUrl, 0, args.length);
    withUrl[args.length] = "--url";
    withUrl[args.length + 1] = url;
    return CommandRun.of(withUrl);
  }

  @Test
  void aRolloutIsStartedWatchedPromotedAndListed() throws IOException {
    // Steps of an hour: nothing but these commands moves the rollout during the test.
    CommandRun start =
        run(
            "rollout",
            "start",
            "score",
            "--candidate",
            "2",
            "--steps",
            "20,100",
            "--step-duration",
            "1h");

    assertThat(start.exit()).as(start.err()).isZero();
    assertThat(start.out().lines().findFirst())
        .contains("model score: RUNNING, step 1 of 2 at 20 % (stable 1, candidate 2)");

    CommandRun status = run("rollout", "status", "score");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).startsWith("model score: RUNNING, step 1 of 2 at 20 %");

    CommandRun json = run("rollout", "status", "score", "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode state = new ObjectMapper().readTree(json.out());
    assertThat(state.path("state").asText()).isEqualTo("RUNNING");
    assertThat(state.path("candidate").asText()).isEqualTo("2");

    CommandRun promote = run("rollout", "promote", "score");
    assertThat(promote.exit()).as(promote.err()).isZero();
    assertThat(promote.out()).startsWith("model score: PROMOTED");

    CommandRun history = run("rollout", "history", "score");
    assertThat(history.exit()).as(history.err()).isZero();
    List<String> lines = history.out().lines().toList();
    assertThat(lines.get(0)).startsWith("AT").contains("DECISION").contains("REASON");
    assertThat(lines).anyMatch(line -> line.contains(" start "));
    assertThat(lines).anyMatch(line -> line.contains(" promote "));

    CommandRun abort = run("rollout", "abort", "score");
    assertThat(abort.exit()).isEqualTo(1);
    assertThat(abort.err()).contains("score").doesNotContain("Exception");
  }
}
