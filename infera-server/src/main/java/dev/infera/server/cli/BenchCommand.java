package dev.infera.server.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code infera bench}: listed here so that {@code infera --help} shows it. The load driver lives
 * in its own module (infera-bench) with its own jar; {@code bin/infera bench ...} starts that jar
 * before this command line is reached. Reached here (the server jar run directly), it says how to
 * run it instead.
 */
@Command(
    name = "bench",
    description =
        "Load-test a running server over REST or gRPC, or measure a model in process (run as bin/infera bench; bin/infera bench --help lists its options).")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ARGS", description = "The load driver's arguments.")
  List<String> args = List.of();

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .println(
            "infera bench runs the load driver of infera-bench, which bin/infera starts: bin/infera bench "
                + String.join(" ", args));
    return 2;
  }
}
