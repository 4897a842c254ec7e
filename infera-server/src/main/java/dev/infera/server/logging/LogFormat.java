package dev.infera.server.logging;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How each log line is written. */
public enum LogFormat {
  /** Local time, level, thread, logger, message (Triton's {@code default}; {@code text} too). */
  DEFAULT("default", "%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n"),
  /** UTC time with its zone, as Triton's {@code ISO8601}. */
  ISO8601(
      "ISO8601", "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z', UTC} %-5level [%thread] %logger{0} - %msg%n"),
  /** One JSON object per line (Logback's JSON encoder), for log collectors. */
  JSON("json", null);

  private final String label;
  private final String pattern;

  LogFormat(String label, String pattern) {
    this.label = label;
    this.pattern = pattern;
  }

  /** The name Triton's API and the flag use. */
  public String label() {
    return label;
  }

  /** The Logback pattern; null for {@link #JSON}. */
  String pattern() {
    return pattern;
  }

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static LogFormat parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    if (wanted.equals("text")) {
      return DEFAULT;
    }
    for (LogFormat format : values()) {
      if (format.label.toLowerCase(Locale.ROOT).equals(wanted)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "log format '"
            + text
            + "' (expected one of "
            + Arrays.stream(values()).map(LogFormat::label).collect(Collectors.joining(", "))
            + ")");
  }
}
