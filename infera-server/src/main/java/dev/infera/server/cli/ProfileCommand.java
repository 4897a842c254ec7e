package dev.infera.server.cli;

import dev.infera.core.config.ConfigException;
import dev.infera.core.config.ModelConfigParser;
import dev.infera.core.config.proto.ModelConfig;
import dev.infera.core.monitoring.DriftSettings;
import dev.infera.core.monitoring.ReferenceProfile;
import dev.infera.server.observability.ProfileData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code infera profile build}: reference profiles for drift monitoring. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description = "Reference profiles for drift monitoring (docs/observability.md).",
    subcommands = {ProfileCommand.Build.class})
final class ProfileCommand implements Runnable {
  static final int FAILED = 1;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds a version's {@code infera-profile.json} from a file of sample rows. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description =
          "Build MODEL's reference profile (infera-profile.json beside its version) from sample rows: CSV with a header, or JSON Lines, one row per line, naming the inputs of its config.pbtxt.")
  static final class Build implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's folder name.")
    String model;

    @Option(
        names = "--data",
        required = true,
        paramLabel = "FILE",
        description =
            "The sample rows: FILE.csv, FILE.jsonl, or FILE.npy (one array of rows, for a model"
                + " with one input).")
    Path data;

    @Option(
        names = "--model-repository",
        defaultValue = "${sys:infera.home:-.}/examples/models",
        paramLabel = "DIR",
        description =
            "The model repository (a folder). Default: examples/models of the installation.")
    Path repository;

    @Option(
        names = "--model-version",
        paramLabel = "N",
        description = "The version folder the profile goes in. Default: the highest.")
    Long version;

    @Option(
        names = "--output",
        paramLabel = "FILE",
        description =
            "Where to write the profile. Default: <repository>/MODEL/<version>/infera-profile.json.")
    Path output;

    @Override
    public Integer call() {
      Path folder = repository.resolve(model);
      Path configFile = folder.resolve("config.pbtxt");
      try {
        if (!Files.isRegularFile(configFile)) {
          return fail(
              "model '"
                  + model
                  + "' has no config.pbtxt in "
                  + folder
                  + " (the profile is built for the inputs it names)");
        }
        ModelConfig config = ModelConfigParser.parse(configFile);
        Optional<Long> chosen = version != null ? Optional.of(version) : highestVersion(folder);
        if (chosen.isEmpty() || !Files.isDirectory(folder.resolve(chosen.get().toString()))) {
          return fail(
              "model '"
                  + model
                  + "' has "
                  + (version != null ? "no version " + version : "no numbered version folder")
                  + " in "
                  + folder);
        }
        Path target =
            output != null
                ? output
                : folder.resolve(chosen.get().toString()).resolve(ReferenceProfile.FILE_NAME);
        ReferenceProfile profile = ProfileData.build(config, data, DriftSettings.DEFAULTS);
        Files.writeString(target, profile.toJson());
        spec.commandLine()
            .getOut()
            .printf(
                "wrote %s: %d rows, %d features%n",
                target, profile.rows(), profile.features().size());
        return 0;
      } catch (IllegalArgumentException | ConfigException e) {
        return fail(e.getMessage());
      } catch (IOException | UncheckedIOException e) {
        return fail("cannot read or write: " + e.getMessage());
      }
    }

    private int fail(String message) {
      spec.commandLine().getErr().println("infera profile build: " + message);
      return FAILED;
    }

    private static Optional<Long> highestVersion(Path folder) throws IOException {
      try (Stream<Path> entries = Files.list(folder)) {
        return entries
            .filter(Files::isDirectory)
            .map(p -> p.getFileName().toString())
            .filter(n -> n.matches("\\d{1,18}"))
            .map(Long::parseLong)
            .max(Long::compare);
      }
    }
  }
}
