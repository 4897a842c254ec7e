package dev.infera.server.cli;

import dev.infera.batch.cli.BatchCommand;
import dev.infera.server.NetworkTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code infera} command: a production inference server for machine-learning models. */
@Command(
    name = "infera",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Infera serves machine-learning models over the Open Inference Protocol (KServe v2),",
      "REST and gRPC, from a Triton-style model repository."
    },
    subcommands = {
      ServeCommand.class,
      ModelsCommand.class,
      RolloutCommand.class,
      AuthCommand.class,
      BenchCommand.class,
      BatchCommand.class,
      ProfileCommand.class,
      CommandLine.HelpCommand.class
    })
public final class InferaCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    try {
      NetworkTransport.configure(System.getenv()); // before any Armeria class is used
    } catch (IllegalArgumentException e) {
      System.err.println("infera: " + e.getMessage());
      System.exit(2);
    }
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line as {@code main} runs it: an argument starting with {@code @} stays as it is
   * (picocli would read it as a file of arguments, breaking {@code --config @FILE}), and a failure
   * prints {@code infera: MESSAGE} and exits 2.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new InferaCommand())
        .setExpandAtFiles(false)
        .setExecutionExceptionHandler(
            (error, commandLine, parseResult) -> {
              commandLine.getErr().println("infera: " + error.getMessage());
              return 2;
            });
  }
}
