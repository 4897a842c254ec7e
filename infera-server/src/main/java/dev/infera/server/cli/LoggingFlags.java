package dev.infera.server.cli;

import dev.infera.server.logging.LogFormat;
import dev.infera.server.logging.LogSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Triton's logging flags of {@code infera serve}. Unset flags keep what {@code INFERA_LOG_LEVEL}
 * says (INFO when unset); the REST {@code /v2/logging} endpoint and gRPC {@code LogSettings} change
 * the same settings at run time.
 */
final class LoggingFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--log-verbose",
      paramLabel = "LEVEL",
      description =
          "Verbose logging: 0 off, 1 DEBUG messages, 2 and more TRACE too. Default: 0 (or from INFERA_LOG_LEVEL).")
  Integer verbose;

  @Option(
      names = "--log-info",
      arity = "0..1",
      paramLabel = "BOOL",
      description = "Write INFO messages. Default: true (or from INFERA_LOG_LEVEL).")
  Boolean info;

  @Option(
      names = "--log-warning",
      arity = "0..1",
      paramLabel = "BOOL",
      description = "Write WARN messages. Default: true (or from INFERA_LOG_LEVEL).")
  Boolean warning;

  @Option(
      names = "--log-error",
      arity = "0..1",
      paramLabel = "BOOL",
      description = "Write ERROR messages. Default: true (or from INFERA_LOG_LEVEL).")
  Boolean error;

  @Option(
      names = "--log-file",
      paramLabel = "FILE",
      description = "Append the log to FILE instead of standard output.")
  Path file;

  @Option(
      names = "--log-format",
      defaultValue = "default",
      paramLabel = "FORMAT",
      description =
          "default (local time, level, thread, logger, message; also 'text'), ISO8601 (UTC time), or json (one object per line). Default: ${DEFAULT-VALUE}.")
  String format;

  /** The settings these flags give over what {@code level} (INFERA_LOG_LEVEL, or null) says. */
  LogSettings toSettings(String level) {
    LogSettings base;
    try {
      base = level == null ? LogSettings.defaults() : LogSettings.ofLevel(level);
      base = base.withFormat(LogFormat.parse(format));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (verbose != null && verbose < 0) {
      throw new ParameterException(
          spec.commandLine(), "--log-verbose " + verbose + " (expected 0 or more)");
    }
    if (file != null) {
      checkFile();
    }
    return base.withLevels(
            info != null ? info : base.info(),
            warning != null ? warning : base.warning(),
            error != null ? error : base.error())
        .withVerboseLevel(verbose != null ? verbose : base.verboseLevel())
        .withFile(Optional.ofNullable(file));
  }

  /**
   * Refuses a --log-file the log could not be appended to, before the server starts: the log
   * library would otherwise drop every message without a word. Creates the file (and its folders,
   * as the log library does) when it does not exist.
   */
  private void checkFile() {
    if (Files.isDirectory(file)) {
      throw new ParameterException(
          spec.commandLine(),
          "--log-file " + file + ": is a folder (expected a file to append the log to)");
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream out =
          Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        // opened for appending, as the log will be
      }
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--log-file " + file + ": cannot be created: " + FileProblems.reason(e));
    }
  }
}
