package dev.infera.server.tracing;

import dev.infera.spi.InferenceException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which requests are traced: Triton's {@code trace_level}, {@code trace_rate} and {@code
 * trace_count}, globally or for one model.
 *
 * @param level OFF traces nothing
 * @param rate one request in {@code rate} is traced (the first, then every rate-th)
 * @param count how many more requests may be traced; -1 for no limit
 */
public record TraceSettings(TraceLevel level, long rate, long count) {
  /** Triton's defaults: off, 1 in 1,000, no limit. */
  public static final TraceSettings DEFAULTS = new TraceSettings(TraceLevel.OFF, 1000, -1);

  static final String LEVEL = "trace_level";
  static final String RATE = "trace_rate";
  static final String COUNT = "trace_count";
  static final String MODE = "trace_mode";
  static final String FILE = "trace_file";
  static final String LOG_FREQUENCY = "log_frequency";

  public TraceSettings {
    Objects.requireNonNull(level, "level");
    if (rate < 1) {
      throw InferenceException.invalidArgument("trace rate " + rate + " (expected 1 or more)");
    }
    if (count < -1) {
      throw InferenceException.invalidArgument(
          "trace count " + count + " (expected -1 for no limit, or 0 or more)");
    }
  }

  public TraceSettings withLevel(TraceLevel value) {
    return new TraceSettings(value, rate, count);
  }

  public TraceSettings withRate(long value) {
    return new TraceSettings(level, value, count);
  }

  public TraceSettings withCount(long value) {
    return new TraceSettings(level, rate, value);
  }

  /**
   * These settings with one named setting changed, as Triton's API names them ({@code trace_level}
   * a list of one level, {@code trace_rate} and {@code trace_count} one integer).
   *
   * @throws InferenceException INVALID_ARGUMENT naming the setting and what it takes
   */
  TraceSettings with(String name, List<String> values) {
    return switch (name) {
      case LEVEL -> {
        if (values.size() != 1) {
          throw InferenceException.invalidArgument(
              "trace_level " + values + " (expected one level: OFF or TIMESTAMPS)");
        }
        yield withLevel(TraceLevel.parse(values.get(0)));
      }
      case RATE -> withRate(number(name, values));
      case COUNT -> withCount(number(name, values));
      case FILE, LOG_FREQUENCY ->
          throw InferenceException.invalidArgument(
              name
                  + " is not supported: this server traces in OpenTelemetry mode and exports spans"
                  + " over OTLP (see --trace-config opentelemetry,url=)");
      case MODE ->
          throw InferenceException.invalidArgument(
              "trace_mode is set at start-up only (--trace-config mode=opentelemetry)");
      default ->
          throw InferenceException.invalidArgument(
              "unknown trace setting '"
                  + name
                  + "' (expected trace_level, trace_rate or trace_count)");
    };
  }

  private static long number(String name, List<String> values) {
    if (values.size() == 1) {
      try {
        return Long.parseLong(values.get(0).trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw InferenceException.invalidArgument(name + " " + values + " (expected one integer)");
  }

  /** Triton's answer for these settings: every value as a list of strings. */
  Map<String, List<String>> asMap() {
    Map<String, List<String>> map = new LinkedHashMap<>();
    map.put(LEVEL, List.of(level.name()));
    map.put(RATE, List.of(Long.toString(rate)));
    map.put(COUNT, List.of(Long.toString(count)));
    map.put(MODE, List.of("opentelemetry"));
    return map;
  }
}
