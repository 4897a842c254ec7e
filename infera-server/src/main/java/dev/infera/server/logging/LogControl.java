package dev.infera.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.FilterReply;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * The one owner of the process's log settings: applies {@link LogSettings} to Logback at start-up
 * and when the logging API changes them. Levels: the root logger is at INFO, DEBUG (verbose level
 * 1) or TRACE (2 and more); a turbo filter drops INFO, WARN or ERROR messages that are turned off.
 * Loggers configured on their own (Armeria and Netty at WARN) keep their level. The output is
 * replaced only when the file or format differ from the Logback configuration's own.
 *
 * <p>Thread-safe: every read and change holds this object's lock.
 */
public final class LogControl {
  static final String LOG_FILE = "log_file";
  static final String LOG_INFO = "log_info";
  static final String LOG_WARNING = "log_warning";
  static final String LOG_ERROR = "log_error";
  static final String LOG_VERBOSE_LEVEL = "log_verbose_level";
  static final String LOG_FORMAT = "log_format";
  private static final String APPENDER = "infera";

  private final LoggerContext context;
  private final LevelSwitch levels = new LevelSwitch();
  private final Level rootLevelBefore;
  private LogSettings settings;

  private LogControl(LoggerContext context, LogSettings initial) {
    this.context = context;
    this.settings = LogSettings.defaults();
    this.rootLevelBefore = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel();
    levels.setContext(context);
    levels.start();
    context.addTurboFilter(levels);
    apply(initial);
  }

  /**
   * Gives the levels back: removes the level switch and restores the root logger's level (the
   * output stays as it is). For servers started and stopped inside one process, such as tests.
   */
  public synchronized void release() {
    context.getTurboFilterList().remove(levels);
    levels.stop();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(rootLevelBefore);
  }

  /**
   * Takes over Logback's settings with {@code initial}.
   *
   * @throws IllegalStateException when SLF4J is not bound to Logback
   */
  public static LogControl forLogback(LogSettings initial) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException("logging is not Logback's: log settings cannot be applied");
    }
    return new LogControl(context, initial);
  }

  /** The settings in force. */
  public synchronized LogSettings settings() {
    return settings;
  }

  /**
   * Changes the settings named, by Triton's names ({@code log_info}, {@code log_warning}, {@code
   * log_error}: booleans; {@code log_verbose_level}: a non-negative integer; {@code log_format}:
   * {@code default}, {@code ISO8601} or {@code json}; {@code log_file}: only its current value,
   * since where the server writes files is set at start-up with {@code --log-file}, never by a
   * client). Nothing changes unless every setting named is valid.
   *
   * @param changes setting name to a Boolean, a Number or a String
   * @return the settings in force afterwards
   * @throws InferenceException INVALID_ARGUMENT naming the setting and what was expected
   */
  public synchronized LogSettings update(Map<String, Object> changes) {
    LogSettings next = settings;
    for (Map.Entry<String, Object> change : changes.entrySet()) {
      next = changed(next, change.getKey(), change.getValue());
    }
    apply(next);
    return settings;
  }

  /** The settings in force as Triton's API names them, in its order. */
  public synchronized Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(LOG_FILE, settings.file().map(Path::toString).orElse(""));
    map.put(LOG_INFO, settings.info());
    map.put(LOG_WARNING, settings.warning());
    map.put(LOG_ERROR, settings.error());
    map.put(LOG_VERBOSE_LEVEL, settings.verboseLevel());
    map.put(LOG_FORMAT, settings.format().label());
    return map;
  }

  private static LogSettings changed(LogSettings base, String name, Object value) {
    return switch (name) {
      case LOG_INFO -> base.withLevels(bool(name, value), base.warning(), base.error());
      case LOG_WARNING -> base.withLevels(base.info(), bool(name, value), base.error());
      case LOG_ERROR -> base.withLevels(base.info(), base.warning(), bool(name, value));
      case LOG_VERBOSE_LEVEL -> base.withVerboseLevel(level(value));
      case LOG_FORMAT -> {
        try {
          yield base.withFormat(LogFormat.parse(string(name, value)));
        } catch (IllegalArgumentException e) {
          throw invalid(LOG_FORMAT + ": " + e.getMessage());
        }
      }
      case LOG_FILE -> {
        String wanted = string(name, value);
        if (!wanted.equals(base.file().map(Path::toString).orElse(""))) {
          throw invalid(
              "log_file cannot be changed at run time (a client must not choose where the server"
                  + " writes files); start the server with --log-file");
        }
        yield base;
      }
      default ->
          throw invalid(
              "unknown log setting '"
                  + name
                  + "' (expected log_file, log_info, log_warning, log_error, log_verbose_level or"
                  + " log_format)");
    };
  }

  private static boolean bool(String name, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw invalid(name + ": " + describe(value) + " (expected true or false)");
  }

  private static int level(Object value) {
    if (value instanceof Number n) {
      double level = n.doubleValue(); // exact for the levels accepted; a huge value stays huge
      if (level == Math.rint(level) && level >= 0 && level <= Integer.MAX_VALUE) {
        return (int) level;
      }
    }
    throw invalid(
        LOG_VERBOSE_LEVEL
            + ": "
            + describe(value)
            + " (expected an integer from 0 to "
            + Integer.MAX_VALUE
            + ")");
  }

  private static String string(String name, Object value) {
    if (value instanceof String s) {
      return s;
    }
    throw invalid(name + ": " + describe(value) + " (expected a string)");
  }

  private static String describe(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }

  private static InferenceException invalid(String message) {
    return new InferenceException(ErrorCode.INVALID_ARGUMENT, message);
  }

  private void apply(LogSettings next) {
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(
        next.verboseLevel() >= 2
            ? Level.TRACE
            : next.verboseLevel() == 1 ? Level.DEBUG : Level.INFO);
    levels.set(next);
    if (!next.file().equals(settings.file()) || next.format() != settings.format()) {
      replaceOutput(root, next);
    }
    settings = next;
  }

  private void replaceOutput(Logger root, LogSettings next) {
    OutputStreamAppender<ILoggingEvent> appender =
        next.file().isPresent() ? fileAppender(next.file().get()) : new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(APPENDER);
    appender.setEncoder(encoder(next.format()));
    appender.start();
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }

  private static FileAppender<ILoggingEvent> fileAppender(Path file) {
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setFile(file.toString());
    appender.setAppend(true);
    return appender;
  }

  private Encoder<ILoggingEvent> encoder(LogFormat format) {
    if (format == LogFormat.JSON) {
      JsonEncoder json = new JsonEncoder();
      json.setContext(context);
      json.setWithFormattedMessage(true);
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.start();
      return json;
    }
    PatternLayoutEncoder pattern = new PatternLayoutEncoder();
    pattern.setContext(context);
    pattern.setPattern(format.pattern());
    pattern.start();
    return pattern;
  }

  /** Drops INFO, WARN and ERROR messages when their switch is off. */
  private static final class LevelSwitch extends TurboFilter {
    private volatile LogSettings settings = LogSettings.defaults();

    void set(LogSettings next) {
      settings = next;
    }

    @Override
    public FilterReply decide(
        Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
      if (level == null) {
        return FilterReply.NEUTRAL;
      }
      LogSettings now = settings;
      boolean off =
          (level == Level.INFO && !now.info())
              || (level == Level.WARN && !now.warning())
              || (level == Level.ERROR && !now.error());
      return off ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
  }
}
