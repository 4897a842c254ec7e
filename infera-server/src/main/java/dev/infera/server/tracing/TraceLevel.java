package dev.infera.server.tracing;

import dev.infera.spi.InferenceException;
import java.util.Locale;

/** Triton's trace levels this server builds. */
public enum TraceLevel {
  /** No tracing. */
  OFF,
  /** Spans with their start and end times (Triton's TIMESTAMPS). */
  TIMESTAMPS;

  /**
   * @throws InferenceException INVALID_ARGUMENT naming the accepted levels
   */
  public static TraceLevel parse(String text) {
    String wanted = text.trim().toUpperCase(Locale.ROOT);
    if (wanted.equals("TENSORS")) {
      throw InferenceException.invalidArgument(
          "trace level TENSORS (tensor contents in traces) is not supported (expected OFF or"
              + " TIMESTAMPS; payload capture records tensors)");
    }
    for (TraceLevel level : values()) {
      if (level.name().equals(wanted)) {
        return level;
      }
    }
    throw InferenceException.invalidArgument(
        "trace level '" + text + "' (expected OFF or TIMESTAMPS)");
  }
}
