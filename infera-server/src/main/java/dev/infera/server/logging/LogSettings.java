package dev.infera.server.logging;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What is logged and where, in Triton's terms.
 *
 * @param info whether INFO messages are written ({@code --log-info}, {@code log_info})
 * @param warning whether WARN messages are written ({@code --log-warning})
 * @param error whether ERROR messages are written ({@code --log-error})
 * @param verboseLevel 0 for none, 1 for DEBUG messages, 2 or more for TRACE too ({@code
 *     --log-verbose}, {@code log_verbose_level})
 * @param format how lines are written ({@code --log-format})
 * @param file the file logs are appended to; empty for standard output ({@code --log-file})
 */
public record LogSettings(
    boolean info,
    boolean warning,
    boolean error,
    int verboseLevel,
    LogFormat format,
    Optional<Path> file) {
  /**
   * The environment variable that sets the starting level: TRACE, DEBUG, INFO, WARN, ERROR, OFF.
   */
  public static final String LEVEL_VARIABLE = "INFERA_LOG_LEVEL";

  public LogSettings {
    if (verboseLevel < 0) {
      throw new IllegalArgumentException("log verbose level " + verboseLevel + " (expected >= 0)");
    }
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(file, "file");
  }

  /** INFO, WARN and ERROR to standard output, no verbose messages, the default format. */
  public static LogSettings defaults() {
    return new LogSettings(true, true, true, 0, LogFormat.DEFAULT, Optional.empty());
  }

  /**
   * The settings a level name stands for, as {@code INFERA_LOG_LEVEL} gives it: {@code DEBUG} is
   * verbose level 1, {@code TRACE} 2, {@code WARN} turns INFO off, {@code ERROR} INFO and WARN,
   * {@code OFF} everything.
   *
   * @throws IllegalArgumentException for another name
   */
  public static LogSettings ofLevel(String level) {
    LogSettings base = defaults();
    return switch (level.trim().toUpperCase(Locale.ROOT)) {
      case "TRACE", "ALL" -> base.withVerboseLevel(2);
      case "DEBUG" -> base.withVerboseLevel(1);
      case "INFO", "" -> base;
      case "WARN", "WARNING" -> base.withLevels(false, true, true);
      case "ERROR" -> base.withLevels(false, false, true);
      case "OFF" -> base.withLevels(false, false, false);
      default ->
          throw new IllegalArgumentException(
              LEVEL_VARIABLE + "=" + level + " (expected TRACE, DEBUG, INFO, WARN, ERROR or OFF)");
    };
  }

  public LogSettings withLevels(boolean newInfo, boolean newWarning, boolean newError) {
    return new LogSettings(newInfo, newWarning, newError, verboseLevel, format, file);
  }

  public LogSettings withVerboseLevel(int level) {
    return new LogSettings(info, warning, error, level, format, file);
  }

  public LogSettings withFormat(LogFormat other) {
    return new LogSettings(info, warning, error, verboseLevel, other, file);
  }

  public LogSettings withFile(Optional<Path> other) {
    return new LogSettings(info, warning, error, verboseLevel, format, other);
  }
}
