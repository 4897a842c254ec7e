package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged server as a user runs it: {@code java -jar infera-server.jar serve ...} in its own
 * process, answering on the ports it was given, and stopping cleanly with exit code 0 on SIGTERM.
 */
class ServeProcessIT {

  private static String run(String... args) throws Exception {
    ServeProcess.Result result = ServeProcess.run(args);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output();
  }

  @Test
  void helpDescribesEveryFlag() throws Exception {
    String top = run("--help");
    String serve = run("serve", "--help");

    assertThat(top)
        .contains("serve", "models", "auth", "bench")
        .contains("Open Inference Protocol");
    assertThat(serve)
        .contains("--model-repository", "--http-port", "--grpc-port", "--metrics-port")
        .contains("--http-address", "--strict-model-config", "--default-max-batch-size")
        .contains("--exit-timeout-secs", "--max-request-bytes")
        .contains("--grpc-address", "--metrics-address", "--allow-http", "--allow-grpc")
        .contains("--allow-metrics", "--log-verbose", "--log-info", "--log-warning", "--log-error")
        .contains("--log-file", "--log-format", "--backend-config", "--id", "--exit-on-error")
        .contains("Default: 8000", "Default: 8001", "Default: 8002");
  }

  @Test
  void servesOnTheGivenPortsAndStopsCleanlyOnSigterm() throws Exception {
    ServeProcess.Ports ports = ServeProcess.Ports.free();
    try (ServeProcess server = ServeProcess.serveExamples(Map.of(), ports)) {
      server.awaitReady(ports.http());

      try (RestClient rest = new RestClient(ports.http(), false);
          GrpcClient grpcClient = new GrpcClient(ports.grpc(), false)) {
        assertThat(grpcClient.serverReady()).isTrue();
        assertThat(
                rest.infer(
                        ProtocolClient.Call.of(
                            "simple", Samples.of("simple").cases().get(0).inputs()))
                    .outcome())
            .isEqualTo(Outcome.OK);
      }

      assertThat(server.stop()).as(server.transcript()).isZero();
      assertThat(server.lines()).anyMatch(l -> l.contains("stopped"));
    }
  }

  /** A model named at start-up that the repository lacks is said in the log, not only the index. */
  @Test
  void aModelToLoadThatIsNotInTheRepositoryIsLogged() throws Exception {
    ServeProcess.Ports ports = ServeProcess.Ports.free();
    try (ServeProcess server =
        ServeProcess.serveExamples(
            Map.of(),
            ports,
            "--model-control-mode",
            "explicit",
            "--load-model",
            "simple",
            "--load-model",
            "nosuch",
            "--warmup",
            "false")) {
      String line =
          server.readUntil(
              l -> l.contains("ERROR") && l.contains("'nosuch' is not in the repository"));

      assertThat(line).as(server.transcript()).isNotNull();
      assertThat(server.readUntil(l -> l.contains("started; ready: false")))
          .as(server.transcript())
          .isNotNull();
    }
  }
}
