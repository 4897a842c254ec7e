package dev.infera.bench.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Reads one model's {@link ServerCounters} from a Prometheus endpoint, blocking. A failed read
 * yields {@code null} (the step then has no server split) and is reported once on standard error.
 */
public final class MetricsScraper implements Supplier<ServerCounters> {
  private final HttpClient http;
  private final URI uri;
  private final String model;
  private volatile boolean warned;

  /**
   * @param url {@code host:port} (path {@code /metrics}) or a full {@code http://} URL
   */
  public MetricsScraper(String url, String model) {
    this.uri = URI.create(url.startsWith("http") ? url : "http://" + url + "/metrics");
    this.model = model;
    // HTTP/1.1, as Prometheus scrapes: the JDK client's h2c upgrade can lose part of a large
    // first response (docs/clients.md).
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @Override
  public ServerCounters get() {
    try {
      HttpResponse<String> response;
      try {
        response = fetch();
      } catch (IOException e) {
        // A kept-alive connection the server closed while idle (between two windows): once more.
        response = fetch();
      }
      if (response.statusCode() != 200) {
        return warn("status " + response.statusCode());
      }
      return ServerCounters.of(PrometheusText.parse(response.body()), model);
    } catch (IOException | IllegalArgumentException e) {
      return warn(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private HttpResponse<String> fetch() throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private ServerCounters warn(String why) {
    if (!warned) {
      warned = true;
      System.err.println("infera bench: cannot read metrics from " + uri + ": " + why);
    }
    return null;
  }
}
