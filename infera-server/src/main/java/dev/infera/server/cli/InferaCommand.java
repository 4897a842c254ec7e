package dev.infera.server.cli;

import dev.infera.batch.cli.BatchCommand;
import dev.infera.server.NetworkTransport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
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
    })
public final class InferaCommand implements Runnable {
  /**
   * The subcommands, in the order the usage lists them, each made only when the command line needs
   * it: picocli reads every option of every command it is given by reflection, which for the whole
   * tree takes a third of a second of each launch.
   */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("serve", ServeCommand::new);
    commands.put("models", ModelsCommand::new);
    commands.put("rollout", RolloutCommand::new);
    commands.put("auth", AuthCommand::new);
    commands.put("bench", BenchCommand::new);
    commands.put("batch", BatchCommand::new);
    commands.put("profile", ProfileCommand::new);
    commands.put("help", CommandLine.HelpCommand::new);
    return Collections.unmodifiableMap(commands);
  }

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
    System.exit(commandLine(args).execute(args));
  }

  /**
   * The command line as {@code main} runs it, with every subcommand: an argument starting with
   * {@code @} stays as it is (picocli would read it as a file of arguments, breaking {@code
   * --config @FILE}), the network transport is chosen for the commands that open sockets, and a
   * failure prints {@code infera: MESSAGE} and exits 2.
   */
  public static CommandLine commandLine() {
    return commandLine(SUBCOMMANDS.keySet());
  }

  /**
   * The command line for {@code args}: only the subcommand they name when their first argument is
   * one (other than {@code help}, which needs them all), else every subcommand, so that the usage,
   * {@code help} and the suggestions for a mistyped name see the whole tree.
   */
  static CommandLine commandLine(String[] args) {
    if (args.length > 0 && !"help".equals(args[0]) && SUBCOMMANDS.containsKey(args[0])) {
      return commandLine(Set.of(args[0]));
    }
    return commandLine();
  }

  private static CommandLine commandLine(Set<String> names) {
    CommandLine line = new CommandLine(new InferaCommand());
    SUBCOMMANDS.forEach(
        (name, command) -> {
          if (names.contains(name)) {
            line.addSubcommand(name, command.get());
          }
        });
    return line.setExpandAtFiles(false)
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
