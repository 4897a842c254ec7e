package dev.infera.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code infera models index|load|unload}: drives the repository API of a running server. Exit code
 * 0 when the server did what was asked, 1 with the server's error message otherwise, 2 for a bad
 * flag (named, before any request).
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "List, load and unload the models of a running server (its repository API).",
    subcommands = {ModelsCommand.Index.class, ModelsCommand.Load.class, ModelsCommand.Unload.class})
final class ModelsCommand implements Runnable {
  static final int FAILED = 1;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the server is, shared by the subcommands. */
  static final class Connection {
    @Option(
        names = "--url",
        defaultValue = "http://localhost:8000",
        paramLabel = "URL",
        description =
            "The server's HTTP endpoint, as a URL or HOST:PORT (as infera bench takes it). Default: ${DEFAULT-VALUE}.")
    String url;

    @Option(
        names = "--api-key",
        defaultValue = "${env:INFERA_API_KEY}",
        paramLabel = "KEY",
        description =
            "An API key, sent as 'Authorization: Bearer KEY'. Default: $INFERA_API_KEY, if set.")
    String apiKey;

    @Option(
        names = "--timeout-secs",
        defaultValue = "600",
        paramLabel = "SECONDS",
        description =
            "How long to wait for the server's answer (a load includes warmup). Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    /** The client; a timeout below one second is refused naming its flag. */
    RepositoryClient client(CommandSpec spec) {
      if (timeoutSeconds < 1) {
        throw new ParameterException(
            spec.commandLine(), "--timeout-secs " + timeoutSeconds + " (expected 1 or more)");
      }
      return new RepositoryClient(
          url.contains("://") ? url : "http://" + url,
          Optional.ofNullable(apiKey).filter(key -> !key.isBlank()),
          Duration.ofSeconds(timeoutSeconds));
    }
  }

  /** Runs a client call; prints its failure and turns it into the exit code. */
  abstract static class ClientCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection connection;

    @Override
    public Integer call() {
      try {
        run(connection.client(spec), spec.commandLine().getOut());
        return 0;
      } catch (RepositoryClient.Failure e) {
        spec.commandLine()
            .getErr()
            .println("infera " + spec.parent().name() + ": " + e.getMessage());
        return FAILED;
      }
    }

    abstract void run(RepositoryClient client, PrintWriter out);
  }

  @Command(
      name = "index",
      mixinStandardHelpOptions = true,
      description = "List every model and version of the repository with its state and reason.")
  static final class Index extends ClientCommand {
    @Option(names = "--ready", description = "Only the versions that are READY.")
    boolean readyOnly;

    @Override
    void run(RepositoryClient client, PrintWriter out) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"MODEL", "VERSION", "STATE", "REASON"});
      for (RepositoryClient.Row row : client.index(readyOnly)) {
        rows.add(new String[] {row.name(), row.version(), row.state(), row.reason()});
      }
      Table.print(rows, out);
    }
  }

  @Command(
      name = "load",
      mixinStandardHelpOptions = true,
      description =
          "Load or reload a model (server in --model-control-mode explicit); waits until it serves.")
  static final class Load extends ClientCommand {
    @Parameters(paramLabel = "MODEL", description = "The model's name (its repository folder).")
    String model;

    @Option(
        names = "--config",
        paramLabel = "JSON|@FILE",
        description =
            "A ModelConfig in JSON to use instead of the folder's config.pbtxt; @FILE reads it from a file.")
    String config;

    @Override
    void run(RepositoryClient client, PrintWriter out) {
      client.load(model, configJson());
      out.println("model '" + model + "' loaded");
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"MODEL", "VERSION", "STATE", "REASON"});
      for (RepositoryClient.Row row : client.index(false)) {
        if (row.name().equals(model)) {
          rows.add(new String[] {row.name(), row.version(), row.state(), row.reason()});
        }
      }
      Table.print(rows, out);
    }

    private Optional<String> configJson() {
      if (config == null) {
        return Optional.empty();
      }
      if (!config.startsWith("@")) {
        return Optional.of(config);
      }
      try {
        return Optional.of(Files.readString(Path.of(config.substring(1))));
      } catch (NoSuchFileException e) {
        throw new ParameterException(spec.commandLine(), "--config " + config + ": no such file");
      } catch (IOException e) {
        throw new ParameterException(
            spec.commandLine(),
            "--config " + config + ": cannot read it: " + FileProblems.reason(e));
      }
    }
  }

  @Command(
      name = "unload",
      mixinStandardHelpOptions = true,
      description =
          "Unload a model (server in --model-control-mode explicit); waits until its memory is freed.")
  static final class Unload extends ClientCommand {
    @Parameters(paramLabel = "MODEL", description = "The model's name.")
    String model;

    @Option(
        names = "--unload-dependents",
        description = "Also unload models that depend on it (accepted; none do).")
    boolean unloadDependents;

    @Override
    void run(RepositoryClient client, PrintWriter out) {
      client.unload(model, unloadDependents);
      out.println("model '" + model + "' unloaded");
    }
  }
}
