package dev.infera.server.cli;

import dev.infera.batch.cli.BatchCommand;
import dev.infera.server.NetworkTransport;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
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

  /**
   * The commands that open sockets: their transport is chosen ({@link NetworkTransport}) before
   * they run, and so before any Armeria class is used. The others skip probing for io_uring, which
   * costs a fifth of a second of start-up.
   */
  private static final Set<String> NETWORK_COMMANDS = Set.of("serve", "bench");

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line as {@code main} runs it: an argument starting with {@code @} stays as it is
   * (picocli would read it as a file of arguments, breaking {@code --config @FILE}), the network
   * transport is chosen for the commands that open sockets, and a failure prints {@code infera:
   * MESSAGE} and exits 2.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new InferaCommand())
        .setExpandAtFiles(false)
        .setExecutionStrategy(InferaCommand::execute)
        .setExecutionExceptionHandler(
            (error, commandLine, parseResult) -> {
              commandLine.getErr().println("infera: " + error.getMessage());
              return 2;
            });
  }

  private static int execute(ParseResult parsed) {
    if (parsed.hasSubcommand()
        && NETWORK_COMMANDS.contains(parsed.subcommand().commandSpec().name())) {
      try {
        NetworkTransport.configure(System.getenv());
      } catch (IllegalArgumentException e) {
        parsed.commandSpec().commandLine().getErr().println("infera: " + e.getMessage());
        return 2;
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }
}
