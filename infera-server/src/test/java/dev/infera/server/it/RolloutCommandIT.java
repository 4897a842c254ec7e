package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.cli.InferaCommand;
import dev.infera.server.it.ScoreModels.Candidate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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

  private record Run(int exit, String out, String err) {}

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

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] withUrl = new String[args.length + 2];
    System.arraycopy(args, 0, withUrl, 0, args.length);
    withUrl[args.length] = "--url";
    withUrl[args.length + 1] = url;
    int exit =
        InferaCommand.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(withUrl);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void aRolloutIsStartedWatchedPromotedAndListed() throws IOException {
    // Steps of an hour: nothing but these commands moves the rollout during the test.
    Run start =
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

    Run status = run("rollout", "status", "score");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).startsWith("model score: RUNNING, step 1 of 2 at 20 %");

    Run json = run("rollout", "status", "score", "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode state = new ObjectMapper().readTree(json.out());
    assertThat(state.path("state").asText()).isEqualTo("RUNNING");
    assertThat(state.path("candidate").asText()).isEqualTo("2");

    Run promote = run("rollout", "promote", "score");
    assertThat(promote.exit()).as(promote.err()).isZero();
    assertThat(promote.out()).startsWith("model score: PROMOTED");

    Run history = run("rollout", "history", "score");
    assertThat(history.exit()).as(history.err()).isZero();
    List<String> lines = history.out().lines().toList();
    assertThat(lines.get(0)).startsWith("AT").contains("DECISION").contains("REASON");
    assertThat(lines).anyMatch(line -> line.contains(" start "));
    assertThat(lines).anyMatch(line -> line.contains(" promote "));

    Run abort = run("rollout", "abort", "score");
    assertThat(abort.exit()).isEqualTo(1);
    assertThat(abort.err()).contains("score").doesNotContain("Exception");
  }
}
