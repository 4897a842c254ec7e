package dev.infera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.bench.client.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;
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
}
