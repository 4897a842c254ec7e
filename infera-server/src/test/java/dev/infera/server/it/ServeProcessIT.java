package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged server as a user runs it: {@code java -jar infera-server.jar serve ...} in its own
 * process, answering on the ports it was given, and stopping cleanly with exit code 0 on SIGTERM.
 */
class ServeProcessIT {

  private static Path jar() throws IOException {
    try (Stream<Path> files = Files.list(Paths.get("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("infera-server-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().contains("-tests"))
          .findFirst()
          .orElseThrow(
              () -> new IllegalStateException("run after 'package': no server jar in target/"));
    }
  }

  private static List<String> command(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return command;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String run(String... args) throws Exception {
    Process process = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void helpDescribesEveryFlag() throws Exception {
    String top = run("--help");
    String serve = run("serve", "--help");

    assertThat(top).contains("serve").contains("Open Inference Protocol");
    assertThat(serve)
        .contains("--model-repository", "--http-port", "--grpc-port", "--metrics-port")
        .contains("--http-address", "--strict-model-config", "--default-max-batch-size")
        .contains("--exit-timeout-secs", "--max-request-bytes")
        .contains("Default: 8000", "Default: 8001", "Default: 8002");
  }

  @Test
  void servesOnTheGivenPortsAndStopsCleanlyOnSigterm() throws Exception {
    int http = freePort();
    int grpc = freePort();
    int metrics = freePort();
    Process process =
        new ProcessBuilder(
                command(
                    "serve",
                    "--model-repository",
                    TestRepository.examples().toString(),
                    "--http-port",
                    Integer.toString(http),
                    "--grpc-port",
                    Integer.toString(grpc),
                    "--metrics-port",
                    Integer.toString(metrics),
                    "--http-address",
                    "127.0.0.1"))
            .redirectErrorStream(true)
            .start();
    BufferedReader log =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = log.readLine()) != null && !line.contains("metrics endpoint listening")) {
      lines.add(line);
    }
    assertThat(line).as(String.join("\n", lines)).isNotNull();

    try (RestClient rest = new RestClient(http, false);
        GrpcClient grpcClient = new GrpcClient(grpc, false)) {
      assertThat(rest.serverReady()).isTrue();
      assertThat(grpcClient.serverReady()).isTrue();
      assertThat(
              rest.infer(
                      ProtocolClient.Call.of(
                          "simple", Samples.of("simple").cases().get(0).inputs()))
                  .outcome())
          .isEqualTo(Outcome.OK);
    }

    process.toHandle().destroy(); // SIGTERM, keeping the output stream open
    while ((line = log.readLine()) != null) {
      lines.add(line);
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
    assertThat(lines).anyMatch(l -> l.contains("stopped"));
  }
}
