package dev.infera.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a server's Prometheus endpoint. Over HTTP/1.1: the JDK client's h2c upgrade can break on a
 * large response body.
 */
final class Metrics {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Metrics() {}

  /** The whole response of {@code /metrics}; fails unless it is 200 text. */
  static String scrape(int metricsPort) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200
          || !response.headers().firstValue("content-type").orElse("").startsWith("text/plain")) {
        throw new AssertionError("metrics endpoint answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The value of one series (name and labels as exported), or 0 when absent. */
  static double value(String text, String series) {
    Matcher matcher =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  /** The series of {@code infera_requests_rejected_total} for one protocol and status. */
  static String rejectedSeries(String protocol, String code) {
    return "infera_requests_rejected_total{code=\"" + code + "\",protocol=\"" + protocol + "\"}";
  }

  /** Scrapes and reads one series. */
  static double value(int metricsPort, String series) {
    return value(scrape(metricsPort), series);
  }

  /**
   * Scrapes until {@code series} satisfies {@code wanted}, for up to {@code patience}: for values
   * the server updates after it has answered (counters written when a request's log completes,
   * gauges moved by background work). Returns the value; fails naming the series otherwise.
   */
  static double await(int metricsPort, String series, DoublePredicate wanted, Duration patience)
      throws InterruptedException {
    Instant end = Instant.now().plus(patience);
    double value = value(metricsPort, series);
    while (!wanted.test(value)) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError(series + " stayed " + value + " for " + patience);
      }
      Thread.sleep(50); // polling the server's metrics, not timing a behaviour
      value = value(metricsPort, series);
    }
    return value;
  }
}
