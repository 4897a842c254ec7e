package dev.infera.backend.xgboost;

import java.util.regex.Pattern;

/**
 * Turns XGBoost's native error messages into one client-safe line: XGBoost4J's messages carry a
 * timestamp, a source path and a native stack trace, none of which may reach a client. Public for
 * {@link #summary}, which {@code infera bench --in-process} reports load failures with.
 */
public final class NativeErrors {
  private static final Pattern PREFIX = Pattern.compile("^\\[[0-9:]+\\]\\s+\\S+:\\d+:\\s*");

  private NativeErrors() {}

  /**
   * Whether XGBoost refused the input data itself (its data checks say "Input data contains ..."),
   * which is the request's fault, not the server's.
   */
  static boolean isInputFault(String summary) {
    return summary.contains("Input data contains");
  }

  /** The first line of the failure's message, without XGBoost's timestamp and source location. */
  public static String summary(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getSimpleName();
    }
    String firstLine = message.strip().lines().findFirst().orElse("").strip();
    String summary = PREFIX.matcher(firstLine).replaceFirst("");
    return summary.isEmpty() ? failure.getClass().getSimpleName() : summary;
  }
}
