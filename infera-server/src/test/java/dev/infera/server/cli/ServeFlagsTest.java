package dev.infera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Values of {@code infera serve} that are refused before anything starts, each naming its flag
 * (never an internal field name).
 */
class ServeFlagsTest {
  @TempDir Path repository;

  private String refusal(String... flags) {
    CommandLine line = new CommandLine(new ServeCommand());
    StringWriter err = new StringWriter();
    line.setErr(new PrintWriter(err));
    List<String> args = new ArrayList<>(List.of("--model-repository", repository.toString()));
    args.addAll(List.of(flags));
    assertThat(line.execute(args.toArray(String[]::new))).isEqualTo(2);
    return err.toString();
  }

  @Test
  void valuesOutOfRangeAreRefusedNamingTheirFlags() {
    assertThat(refusal("--max-request-bytes=0"))
        .contains("--max-request-bytes 0 (expected > 0)")
        .doesNotContain("maxRequestBytes");
    assertThat(refusal("--default-max-batch-size=-1"))
        .contains("--default-max-batch-size -1 (expected >= 1)")
        .doesNotContain("defaultMaxBatchSize");
    assertThat(refusal("--exit-timeout-secs=-1"))
        .contains("--exit-timeout-secs -1 (expected >= 0)")
        .doesNotContain("PT-1S");
  }

  @Test
  void aCaptureRateOutOfRangeIsRefusedAlsoWithoutCaptureModels() {
    assertThat(refusal("--capture-rate=2")).contains("--capture-rate 2.0 (expected > 0 and <= 1)");
    assertThat(refusal("--capture-rate=0")).contains("--capture-rate 0.0 (expected > 0 and <= 1)");
  }

  @Test
  void anAddressThatDoesNotResolveIsRefusedNamingItsFlag() {
    assertThat(refusal("--http-address=999.1.1.1"))
        .contains("--http-address 999.1.1.1: cannot resolve it")
        .doesNotContain("localAddress", "<unresolved>");
  }

  @Test
  void twoEndpointsOnOnePortAreRefusedBeforeEitherListens() {
    assertThat(
            refusal(
                "--http-address=127.0.0.1",
                "--grpc-address=127.0.0.1",
                "--http-port=19501",
                "--grpc-port",
                "19501",
                "--metrics-port",
                "19503"))
        .contains("--http-port and --grpc-port are both 19501 (each endpoint needs its own port)")
        .doesNotContain("already in use");
    assertThat(
            refusal(
                "--http-address=127.0.0.1",
                "--metrics-address=0.0.0.0",
                "--http-port=19504",
                "--grpc-port=19505",
                "--metrics-port=19504"))
        .contains("--http-port and --metrics-port are both 19504");
  }

  @Test
  void aPortSharedWithADisabledEndpointOrPortZeroIsNoClash() {
    EndpointFlags flags = new EndpointFlags();
    flags.httpAddress = "127.0.0.1";
    flags.grpcAddress = "127.0.0.1";
    flags.metricsAddress = "127.0.0.1";
    flags.allowHttp = true;
    flags.allowGrpc = true;
    flags.allowMetrics = false;
    flags.httpPort = 0;
    flags.grpcPort = 0;
    flags.metricsPort = 0;
    assertThat(flags.problems()).isEmpty();

    flags.httpPort = 19506;
    flags.metricsPort = 19506;
    assertThat(flags.problems()).isEmpty();

    flags.grpcAddress = "127.0.0.2";
    flags.grpcPort = 19506;
    assertThat(flags.problems()).isEmpty();
  }

  @Test
  void aLogFileThatIsAFolderIsRefused() {
    assertThat(refusal("--log-file=" + repository))
        .contains("--log-file " + repository + ": is a folder");
  }

  @Test
  void aLogFileThatCannotBeCreatedIsRefused() throws Exception {
    Path file = Files.writeString(repository.resolve("plain"), "x").resolve("x.log");

    assertThat(refusal("--log-file=" + file))
        .contains("--log-file " + file + ": cannot be created: ")
        .doesNotContain("Exception");
  }
}
