package dev.infera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.bench.client.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

  private static BenchCommand parse(String... args) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void consistentServerOptionsHaveNoProblems() {
    BenchCommand command =
        parse(
            "-m",
            "tabular_mlp",
            "--protocol",
            "grpc",
            "--concurrency-range",
            "1:64:7",
            "--shape",
            "x:3",
            "--format",
            "csv");

    assertThat(command.validate()).isEmpty();
    assertThat(command.protocol()).isEqualTo(Protocol.GRPC);
    assertThat(command.url()).isEqualTo("localhost:8001");
    assertThat(command.concurrencyLevels()).containsExactly(1, 8, 15, 22, 29, 36, 43, 50, 57, 64);
  }

  @Test
  void restDefaultsToPort8000AndOneConcurrentRequest() {
    BenchCommand command = parse("-m", "m");

    assertThat(command.url()).isEqualTo("localhost:8000");
    assertThat(command.concurrencyLevels()).containsExactly(1);
    assertThat(command.randomInput()).isTrue();
  }

  @Test
  void aMissingModelIsReported() {
    assertThat(parse().validate()).anyMatch(problem -> problem.contains("-m/--model"));
  }

  @Test
  void aSweepAndARateExcludeEachOther() {
    List<String> problems =
        parse("-m", "m", "--concurrency-range", "1:4", "--request-rate", "100").validate();

    assertThat(problems).anyMatch(problem -> problem.contains("exclude each other"));
  }

  @Test
  void everyBadOptionIsReportedAtOnce() {
    List<String> problems =
        parse(
                "-m", "m",
                "--protocol", "http",
                "--format", "xml",
                "--concurrency-range", "4:1",
                "--duration", "0",
                "--batch-size", "0",
                "--shape", "nodims",
                "--url", "http://host")
            .validate();

    assertThat(problems)
        .hasSize(7)
        .anyMatch(problem -> problem.contains("--protocol 'http'"))
        .anyMatch(problem -> problem.contains("--format 'xml'"))
        .anyMatch(problem -> problem.contains("--concurrency-range"))
        .anyMatch(problem -> problem.contains("--duration"))
        .anyMatch(problem -> problem.contains("--batch-size 0"))
        .anyMatch(problem -> problem.contains("--shape 'nodims'"))
        .anyMatch(problem -> problem.contains("--url 'http://host'"));
  }

  @Test
  void oneConnectionAndOneIoThreadByDefaultAndNoneIsReported() {
    BenchCommand command = parse("-m", "m", "--protocol", "grpc");
    assertThat(command.connections).isEqualTo(1);
    assertThat(command.ioThreads).isEqualTo(1);

    assertThat(parse("-m", "m", "--connections", "0", "--io-threads", "0").validate())
        .containsExactly("--connections 0 (expected >= 1)", "--io-threads 0 (expected >= 1)");
  }

  @Test
  void aNonPositiveRequestRateIsReported() {
    assertThat(parse("-m", "m", "--request-rate", "0").validate())
        .containsExactly("--request-rate 0.0 (expected > 0 requests per second)");
  }

  @Test
  void inProcessNeedsAModelFileButNoModelName() {
    List<String> problems = parse("--in-process").validate();

    assertThat(problems)
        .containsExactly("--in-process needs --model-file (a .onnx, .json or .ubj file)");
  }

  @Test
  void inProcessRejectsUnknownFileKindsAndBadSizes() {
    List<String> problems =
        parse("--in-process", "--model-file", "model.pt", "--batch-sizes", "1,0", "--threads", "0")
            .validate();

    assertThat(problems)
        .containsExactlyInAnyOrder(
            "--model-file 'model.pt' (expected a .onnx, .json or .ubj file)",
            "--batch-sizes [1, 0] (expected positive integers)",
            "--threads 0 (expected >= 1)");
  }

  @Test
  void inProcessDefaultsToBatchSizes1And8And64() {
    BenchCommand command = parse("--in-process", "--model-file", "m.onnx");

    assertThat(command.validate()).isEmpty();
    assertThat(command.batchSizes).containsExactly(1, 8, 64);
  }

  @Test
  void theEngineFollowsTheFileExtension() {
    assertThat(InProcessBench.engine(java.nio.file.Path.of("a/model.onnx")))
        .isEqualTo("onnxruntime");
    assertThat(InProcessBench.engine(java.nio.file.Path.of("a/model.UBJ"))).isEqualTo("xgboost");
    assertThat(InProcessBench.engine(java.nio.file.Path.of("a/model.json"))).isEqualTo("xgboost");
    assertThat(InProcessBench.engine(java.nio.file.Path.of("a/model.pt"))).isNull();
  }

  /** A run of the command line as {@code main} runs it: its exit code and standard error. */
  private record Run(int exit, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = BenchCommand.commandLine().execute(args);
      return new Run(exit, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  private static Path garbage(Path folder, String name) throws IOException {
    byte[] bytes = new byte[100];
    new Random(1).nextBytes(bytes);
    return Files.write(folder.resolve(name), bytes);
  }

  @Test
  void anOnnxFileOnnxRuntimeCannotLoadIsOneLineNamingTheFlag(@TempDir Path folder)
      throws IOException {
    Path file = garbage(folder, "model.onnx");

    Run run = run("--in-process", "--model-file", file.toString(), "--duration", "0.1");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("infera bench: --model-file " + file + ": ONNX Runtime cannot load it: ")
        .doesNotContain("OrtException", "ORT_", "\tat ");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void anXgboostFileXgboostCannotLoadIsOneLineNamingTheFlag(@TempDir Path folder)
      throws IOException {
    Path file = garbage(folder, "model.ubj");

    Run run = run("--in-process", "--model-file", file.toString(), "--duration", "0.1");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("infera bench: --model-file " + file + ": XGBoost cannot load it: ")
        .doesNotContain("XGBoostError", "[bt]", ".so", "\tat ");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void aPortOutOfRangeIsRefusedNamingTheFlag() {
    Run run = run("trivial-server", "--port", "-1");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualToIgnoringNewLines("infera bench trivial-server: --port -1 (expected 0 to 65535)");
  }
}
