package dev.infera.server.tracing;

import dev.infera.server.logging.LoggedUrls;
import dev.infera.spi.InferenceException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The tracing set at start-up by Triton's {@code --trace-config} entries: {@code level=}, {@code
 * rate=}, {@code count=}, {@code mode=opentelemetry}, and the OpenTelemetry mode's {@code
 * opentelemetry,url=}, {@code opentelemetry,resource=KEY=VALUE} and batch span processor's {@code
 * opentelemetry,bsp_max_queue_size=}, {@code bsp_schedule_delay=} (milliseconds) and {@code
 * bsp_max_export_batch_size=}.
 *
 * @param settings the global trace settings the server starts with
 * @param endpoint where spans are exported, over OTLP/HTTP with protobuf (Triton's default {@code
 *     http://localhost:4318/v1/traces})
 * @param resource extra resource attributes of every span ({@code service.name} defaults to {@code
 *     infera})
 * @param maxQueueSize spans waiting for export at most; more are dropped
 * @param scheduleDelay how long the exporter waits to gather a batch
 * @param maxExportBatchSize spans sent in one export at most
 */
public record TraceConfig(
    TraceSettings settings,
    URI endpoint,
    Map<String, String> resource,
    int maxQueueSize,
    Duration scheduleDelay,
    int maxExportBatchSize) {
  public static final URI DEFAULT_ENDPOINT = URI.create("http://localhost:4318/v1/traces");

  /** Tracing off, Triton's defaults otherwise. */
  public static final TraceConfig DEFAULTS =
      new TraceConfig(
          TraceSettings.DEFAULTS, DEFAULT_ENDPOINT, Map.of(), 2048, Duration.ofSeconds(5), 512);

  public TraceConfig {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(scheduleDelay, "scheduleDelay");
    resource = Map.copyOf(resource);
    if (maxQueueSize < 1 || maxExportBatchSize < 1 || maxExportBatchSize > maxQueueSize) {
      throw new IllegalArgumentException(
          "bsp_max_queue_size "
              + maxQueueSize
              + ", bsp_max_export_batch_size "
              + maxExportBatchSize
              + " (expected 1 <= batch size <= queue size)");
    }
    if (scheduleDelay.isNegative() || scheduleDelay.isZero()) {
      throw new IllegalArgumentException("bsp_schedule_delay " + scheduleDelay + " (expected > 0)");
    }
  }

  /**
   * The configuration {@code --trace-config} entries give, later entries overriding earlier ones.
   *
   * @throws IllegalArgumentException listing every entry that is wrong, with what it takes
   */
  public static TraceConfig parse(List<String> entries) {
    List<String> problems = new ArrayList<>();
    TraceSettings settings = DEFAULTS.settings();
    URI endpoint = DEFAULTS.endpoint();
    Map<String, String> resource = new LinkedHashMap<>();
    int queue = DEFAULTS.maxQueueSize();
    long delayMs = DEFAULTS.scheduleDelay().toMillis();
    int batch = DEFAULTS.maxExportBatchSize();
    for (String entry : entries) {
      String mode = "";
      String setting = entry;
      int comma = entry.indexOf(',');
      int equals = entry.indexOf('=');
      if (comma >= 0 && (equals < 0 || comma < equals)) {
        mode = entry.substring(0, comma).trim().toLowerCase(Locale.ROOT);
        setting = entry.substring(comma + 1);
      }
      int split = setting.indexOf('=');
      if (split <= 0) {
        problems.add("'" + entry + "' (expected [MODE,]SETTING=VALUE)");
        continue;
      }
      String name = setting.substring(0, split).trim().toLowerCase(Locale.ROOT).replace('-', '_');
      String value = setting.substring(split + 1).trim();
      try {
        if (mode.isEmpty()) {
          switch (name) {
            case "level" -> settings = settings.withLevel(TraceLevel.parse(value));
            case "rate" -> settings = settings.withRate(integer(name, value));
            case "count" -> settings = settings.withCount(integer(name, value));
            case "mode" -> {
              if (!value.equalsIgnoreCase("opentelemetry")) {
                throw new IllegalArgumentException(
                    "mode '"
                        + value
                        + "' (expected opentelemetry: spans are exported over OTLP; Triton's own"
                        + " trace files are not written)");
              }
            }
            default ->
                throw new IllegalArgumentException(
                    "'" + entry + "': unknown setting (expected level, rate, count or mode)");
          }
        } else if (mode.equals("opentelemetry")) {
          switch (name) {
            case "url" -> endpoint = url(value);
            case "resource" -> {
              int eq = value.indexOf('=');
              if (eq <= 0) {
                throw new IllegalArgumentException("resource '" + value + "' (expected KEY=VALUE)");
              }
              resource.put(value.substring(0, eq).trim(), value.substring(eq + 1).trim());
            }
            case "bsp_max_queue_size" -> queue = (int) positive(name, value);
            case "bsp_schedule_delay" -> delayMs = positive(name, value);
            case "bsp_max_export_batch_size" -> batch = (int) positive(name, value);
            default ->
                throw new IllegalArgumentException(
                    "'"
                        + entry
                        + "': unknown OpenTelemetry setting (expected url, resource,"
                        + " bsp_max_queue_size, bsp_schedule_delay or bsp_max_export_batch_size)");
          }
        } else {
          throw new IllegalArgumentException(
              "'" + entry + "': mode '" + mode + "' (expected opentelemetry)");
        }
      } catch (IllegalArgumentException | InferenceException e) {
        problems.add(e.getMessage());
      }
    }
    if (problems.isEmpty()) {
      try {
        return new TraceConfig(
            settings, endpoint, resource, queue, Duration.ofMillis(delayMs), batch);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    throw new IllegalArgumentException("--trace-config: " + String.join("; ", problems));
  }

  private static long integer(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " '" + value + "' (expected an integer)");
    }
  }

  private static long positive(String name, String value) {
    long number = integer(name, value);
    if (number < 1 || number > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " " + number + " (expected 1 or more)");
    }
    return number;
  }

  private static URI url(String value) {
    try {
      URI uri = new URI(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "url '" + value + "' (expected an http:// or https:// URL of an OTLP/HTTP receiver)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url '" + value + "' is not a URL");
    }
  }

  /** Whether tracing is on at start-up (a model's settings or the API may still turn it on). */
  public boolean tracesAtStart() {
    return settings.level() != TraceLevel.OFF;
  }

  @Override
  public String toString() {
    return "tracing "
        + settings.level()
        + " rate 1/"
        + settings.rate()
        + (settings.count() < 0 ? "" : " count " + settings.count())
        + " to "
        + LoggedUrls.shown(endpoint);
  }
}
