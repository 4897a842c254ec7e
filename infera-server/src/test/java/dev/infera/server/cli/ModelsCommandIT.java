package dev.infera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code infera models index|load|unload} against a running server in EXPLICIT mode: readable
 * tables, exit code 0 on success, 1 with the server's message otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelsCommandIT {
  private InferaServer server;
  private String url;

  @BeforeAll
  void start() throws IOException {
    Path repo = Files.createTempDirectory("infera-models-cli");
    Path examples = Paths.get("..", "examples", "models").toAbsolutePath().normalize();
    for (String model : List.of("simple", "string_identity")) {
      Files.createDirectories(repo.resolve(model).resolve("1"));
      Files.copy(
          examples.resolve(model).resolve("config.pbtxt"),
          repo.resolve(model).resolve("config.pbtxt"));
      Files.copy(
          examples.resolve(model).resolve("1/model.onnx"),
          repo.resolve(model).resolve("1/model.onnx"));
    }
    server =
        InferaServer.start(
            ServerOptions.onFreePorts(repo)
                .withManager(
                    ManagerOptions.defaults()
                        .withControl(ControlOptions.explicit(List.of("simple")))));
    url = "http://127.0.0.1:" + server.httpPort();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void indexPrintsATable() {
    CommandRun run = CommandRun.of("models", "index", "--url", url);

    assertThat(run.exit()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("MODEL            VERSION  STATE        REASON");
    assertThat(lines.get(1)).isEqualTo("simple           1        READY");
    assertThat(lines.get(2)).startsWith("string_identity  ").contains("  UNAVAILABLE  ");
  }

  @Test
  void loadThenUnload() {
    CommandRun load = CommandRun.of("models", "load", "string_identity", "--url", url);
    CommandRun unload = CommandRun.of("models", "unload", "string_identity", "--url", url);

    assertThat(load.exit()).isZero();
    assertThat(load.out())
        .contains("model 'string_identity' loaded")
        .contains("string_identity  1        READY");
    assertThat(unload.exit()).isZero();
    assertThat(unload.out()).contains("model 'string_identity' unloaded");
  }

  @Test
  void loadTakesTheConfigFromAnAtFileAsDocumented() throws IOException {
    Path config = Files.createTempFile("infera-config", ".json");
    Files.writeString(
        config,
        "{\"max_batch_size\": 4, \"input\": [{\"name\": \"INPUT0\", \"data_type\": \"TYPE_STRING\", \"dims\": [1]}],"
            + " \"output\": [{\"name\": \"OUTPUT0\", \"data_type\": \"TYPE_STRING\", \"dims\": [1]}]}");
    String hostPort = url.substring("http://".length());

    // --config @FILE (two arguments), and --url as HOST:PORT like infera bench takes it.
    CommandRun load =
        CommandRun.of(
            "models", "load", "string_identity", "--config", "@" + config, "--url", hostPort);
    CommandRun unload = CommandRun.of("models", "unload", "string_identity", "--url", hostPort);

    assertThat(load.exit()).as(load.err()).isZero();
    assertThat(load.out()).contains("string_identity  1        READY");
    assertThat(unload.exit()).isZero();
  }

  @Test
  void aMissingAtFileIsNamed() {
    CommandRun run =
        CommandRun.of(
            "models", "load", "simple", "--config", "@/no/such/config.json", "--url", url);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--config @/no/such/config.json: no such file");
  }

  @Test
  void failureExitsWithOneAndTheServersMessage() {
    CommandRun run = CommandRun.of("models", "load", "ghost", "--url", url);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("model 'ghost' is not in the repository").contains("HTTP 404");
  }

  @Test
  void unreachableServerExitsWithOne() {
    CommandRun run = CommandRun.of("models", "index", "--url", "http://127.0.0.1:1");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("cannot reach http://127.0.0.1:1: connection refused")
        .doesNotContain("Exception");
  }

  @Test
  void anUnknownHostIsNamedAsSuch() {
    CommandRun run = CommandRun.of("models", "index", "--url", "http://no-such-host.invalid:8000");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("cannot reach http://no-such-host.invalid:8000: unknown host")
        .doesNotContain("Exception");
  }
}
