package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's operational flags on the packaged server, each checked for what Triton's does: endpoint
 * switches and addresses, the log flags, {@code --id}, {@code --backend-config}, {@code
 * --exit-on-error}, a busy port, suggestions for a misspelled flag, and one version everywhere.
 */
class OperatorFlagsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void flagsDoWhatTritonsDo(@TempDir Path dir) throws Exception {
    int http = ServeProcess.freePort();
    int grpc = ServeProcess.freePort();
    int metrics = ServeProcess.freePort();
    Path logFile = dir.resolve("infera.log");
    try (ServeProcess server =
        ServeProcess.launch(
            "serve",
            "--model-repository",
            TestRepository.examples().toString(),
            "--http-address",
            "127.0.0.1",
            "--http-port",
            Integer.toString(http),
            "--grpc-port",
            Integer.toString(grpc),
            "--allow-grpc",
            "false",
            "--metrics-address",
            "127.0.0.1",
            "--metrics-port",
            Integer.toString(metrics),
            "--id",
            "edge-7",
            "--backend-config",
            "onnxruntime,intra_op_thread_count=1",
            "--log-file",
            logFile.toString(),
            "--log-format",
            "json",
            "--log-verbose",
            "1")) {
      server.awaitReady(http);
      // Everything went to the log file, one JSON object per line.
      List<JsonNode> log = jsonLines(logFile);
      assertThat(log)
          .isNotEmpty()
          .allMatch(event -> event.has("level") && event.has("formattedMessage"));
      assertThat(log).anyMatch(event -> event.path("level").asText().equals("DEBUG"));
      // --backend-config reached the backend as a default of the model's parameters.
      assertThat(log)
          .anyMatch(
              event ->
                  event.path("formattedMessage").asText().contains("loaded model 'simple'")
                      && event.path("formattedMessage").asText().contains("intraOpThreads=1"));
      assertThat(log)
          .anyMatch(
              event ->
                  event
                      .path("formattedMessage")
                      .asText()
                      .contains("metrics endpoint listening on 127.0.0.1"));

      try (RestClient rest = new RestClient(http, false)) {
        JsonNode metadata = RestClient.readJson(rest.get("/v2").body());
        assertThat(metadata.path("name").asText()).isEqualTo("edge-7");
        assertThat(metadata.path("version").asText()).isEqualTo(expectedVersion());
        assertThat(rest.serverReady()).isTrue();
      }
      assertThat(listening(grpc)).as("--allow-grpc false").isFalse();
      assertThat(
              Metrics.value(
                  metrics,
                  "infera_build_info{commit=\""
                      + expectedCommit()
                      + "\",version=\""
                      + expectedVersion()
                      + "\"}"))
          .isEqualTo(1);
      assertThat(server.stop()).isZero();
      assertThat(server.lines()).as("nothing on standard output").isEmpty();
    }
  }

  @Test
  void aBusyPortFailsAtOnceNamingThePortAndTheFlag() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ServeProcess.Result result =
          ServeProcess.run(
              "serve",
              "--model-repository",
              TestRepository.examples().toString(),
              "--http-address",
              "127.0.0.1",
              "--http-port",
              Integer.toString(ServeProcess.freePort()),
              "--grpc-address",
              "127.0.0.1",
              "--grpc-port",
              Integer.toString(ServeProcess.freePort()),
              "--metrics-port",
              Integer.toString(busy.getLocalPort()));

      assertThat(result.exitCode()).as(result.output()).isNotZero();
      assertThat(result.output())
          .contains("metrics endpoint cannot listen on 127.0.0.1:" + busy.getLocalPort())
          .contains("--metrics-port")
          .doesNotContain("is READY")
          .doesNotContain("loaded model")
          .doesNotContain("at io.netty");
    }
  }

  @Test
  void exitOnErrorStopsStartUpWhenAModelFailsToLoad(@TempDir Path repo) throws Exception {
    LifecycleServers.simpleCopy(repo, "good", "");
    LifecycleServers.simpleCopy(repo, "broken", "max_batch_size: -3\n");
    ServeProcess.Result result =
        ServeProcess.run(
            "serve",
            "--model-repository",
            repo.toString(),
            "--http-address",
            "127.0.0.1",
            "--http-port",
            "0",
            "--grpc-port",
            "0",
            "--metrics-port",
            "0",
            "--exit-on-error",
            "true");

    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(result.output())
        .contains("--exit-on-error")
        .contains("model 'broken'")
        .contains("max_batch_size");
  }

  @Test
  void aMisspelledFlagNamesTheRightOne() throws Exception {
    ServeProcess.Result result = ServeProcess.run("serve", "--http-prot", "8000");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("--http-prot").contains("--http-port");
  }

  @Test
  void versionAgreesWithTheBuild() throws Exception {
    ServeProcess.Result result = ServeProcess.run("--version");

    String expected = "infera " + expectedVersion() + " (commit " + expectedCommit() + ")";
    assertThat(result.output().trim()).isEqualTo(expected);
  }

  /** The version Maven built, which --version, GET /v2 and infera_build_info must report. */
  private static String expectedVersion() {
    return System.getProperty("infera.expected.version");
  }

  private static String expectedCommit() {
    String commit = System.getProperty("infera.expected.commit", "unknown");
    return commit.contains("${") ? "unknown" : commit;
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<JsonNode> jsonLines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank())
        .map(
            line -> {
              try {
                return JSON.readTree(line);
              } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + line, e);
              }
            })
        .toList();
  }
}
