package dev.infera.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against an Armeria server on a loopback port standing in for Infera's metrics endpoint, which
 * this module does not depend on: Armeria accepts the h2c upgrade as Infera does.
 */
class MetricsScraperTest {
  private final List<SessionProtocol> protocols = new CopyOnWriteArrayList<>();
  private Server metrics;

  @BeforeEach
  void start() {
    StringBuilder text = new StringBuilder();
    text.append("infera_inference_count_total{model=\"m\",version=\"1\"} 12.0\n");
    text.append("infera_inference_exec_count_total{model=\"m\",version=\"1\"} 3.0\n");
    // A scrape as large as a real one (~49 KB), the size the JDK's h2c upgrade can truncate.
    for (int i = 0; i < 1000; i++) {
      text.append("infera_other_series_total{model=\"other\",n=\"").append(i).append("\"} 1.0\n");
    }
    String body = text.toString();
    metrics =
        Server.builder()
            .http(new InetSocketAddress("127.0.0.1", 0))
            .service(
                "/metrics",
                (ctx, req) -> {
                  protocols.add(ctx.sessionProtocol());
                  return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, body);
                })
            .build();
    metrics.start().join();
  }

  @AfterEach
  void stop() {
    metrics.stop().join();
  }

  @Test
  void eachNewScraperReadsTheWholeScrapeOverHttp1() {
    for (int i = 0; i < 20; i++) {
      ServerCounters counters =
          new MetricsScraper("127.0.0.1:" + metrics.activeLocalPort(), "m").get();

      assertThat(counters).isNotNull();
      assertThat(counters.inferences()).isEqualTo(12.0);
      assertThat(counters.executions()).isEqualTo(3.0);
    }
    assertThat(protocols).hasSize(20).containsOnly(SessionProtocol.H1C);
  }
}
