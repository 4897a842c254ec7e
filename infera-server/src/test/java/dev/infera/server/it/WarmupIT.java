package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.core.monitoring.DriftSettings;
import dev.infera.server.Endpoint;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.WarmupSettings;
import dev.infera.server.observability.ObservabilityOptions;
import dev.infera.server.security.ApiKeyStore;
import dev.infera.server.security.SecurityOptions;
import dev.infera.server.security.TlsOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server warm-up before readiness, on a real server: readiness waits for it, its requests count
 * in no user metric, it passes authentication without opening it, and it can be turned off. A small
 * cap keeps each start short.
 */
class WarmupIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final WarmupSettings SHORT = WarmupSettings.capped(Duration.ofSeconds(3));
  private static final String INFER_KEY = "warmup-it-infer-key-5d1c";
  private static final String SIMPLE_REQUEST =
      "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
          + "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]},"
          + "{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
          + "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]}";

  private InferaServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Path repository() throws Exception {
    Path root = Files.createTempDirectory("infera-warmup");
    for (String model : List.of("simple", "string_identity", "tabular_mlp")) {
      TestRepository.copyInto(TestRepository.examples().resolve(model), root.resolve(model));
    }
    TestRepository.copyInto(
        TestRepository.resource("it/warmup/simple_dynamic"), root.resolve("simple_dynamic"));
    Files.createDirectories(root.resolve("simple_dynamic/1"));
    Files.copy(root.resolve("simple/1/model.onnx"), root.resolve("simple_dynamic/1/model.onnx"));
    return root;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> infer(int port, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/simple/infer"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(SIMPLE_REQUEST));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The sum of every series of {@code metric} in a scrape. */
  private static double sum(String scrape, String metric) {
    double total = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  private static void assertWarmedOverEveryProtocol(String scrape) {
    for (String protocol : List.of("rest_json", "rest_binary", "grpc")) {
      assertThat(
              Metrics.value(scrape, "infera_warmup_requests_total{protocol=\"" + protocol + "\"}"))
          .as(protocol)
          .isPositive();
    }
    assertThat(scrape).containsPattern("(?m)^infera_warmup_failed_calls ");
    assertThat(Metrics.value(scrape, "infera_warmup_failed_calls")).as("failed calls").isZero();
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> reply = get(server.httpPort(), path);
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    return JSON.readTree(reply.body());
  }

  @Test
  void readinessWaitsForTheWarmupWhoseRequestsCountNowhere() throws Exception {
    int httpPort = freePort();
    int metricsPort = freePort();
    ServerOptions options =
        ServerOptions.onFreePorts(repository())
            .withEndpoints(
                Endpoint.on("127.0.0.1", httpPort),
                Endpoint.on("127.0.0.1", 0),
                Endpoint.on("127.0.0.1", metricsPort))
            .withWarmup(SHORT);
    ObservabilityOptions drift =
        new ObservabilityOptions(Optional.of(DriftSettings.DEFAULTS), Set.of("tabular_mlp"));
    // Polls readiness while the server starts: every answer before the first 200 must be a
    // refusal, and by the first 200 the warm-up must have ended (its meters exist).
    List<Integer> answers = new ArrayList<>();
    CompletableFuture<String> scrapeAtReady =
        CompletableFuture.supplyAsync(
            () -> {
              while (true) {
                try {
                  HttpResponse<String> ready = get(httpPort, "/v2/health/ready");
                  answers.add(ready.statusCode());
                  if (ready.statusCode() == 200) {
                    return Metrics.scrape(metricsPort);
                  }
                } catch (Exception notListeningYet) {
                  // the endpoints bind first; until then, ask again
                }
                Thread.onSpinWait();
              }
            });
    server = InferaServer.start(options, drift);
    String atReady = scrapeAtReady.get();

    assertThat(answers).isNotEmpty();
    assertThat(answers.subList(0, answers.size() - 1)).isNotEmpty().allMatch(code -> code == 503);
    assertThat(sum(atReady, "infera_warmup_duration_seconds")).isPositive();
    String scrape = Metrics.scrape(server.metricsPort());
    assertWarmedOverEveryProtocol(scrape);
    for (String metric :
        List.of(
            "infera_inference_request_success_total",
            "infera_inference_request_failure_total",
            "infera_inference_count_total",
            "infera_inference_exec_count_total",
            "infera_inference_request_duration_seconds_count",
            "infera_requests_rejected_total")) {
      assertThat(sum(scrape, metric)).as(metric).isZero();
    }
    for (String model : List.of("simple", "string_identity", "tabular_mlp")) {
      JsonNode stats = json("/v2/models/" + model + "/stats").path("model_stats").get(0);
      assertThat(stats.path("inference_count").asLong()).as(model).isZero();
      assertThat(stats.path("execution_count").asLong()).as(model).isZero();
      assertThat(stats.path("inference_stats").path("success").path("count").asLong()).isZero();
    }
    JsonNode report = json("/v2/models/tabular_mlp/drift");
    assertThat(report.path("rows").asLong()).isZero();
    assertThat(report.path("reference_rows").asLong()).isZero();
    // The model the warm-up could not synthesise still serves; a client's request counts.
    assertThat(get(server.httpPort(), "/v2/models/simple_dynamic/ready").statusCode())
        .isEqualTo(200);
    assertThat(infer(server.httpPort(), Map.of()).statusCode()).isEqualTo(200);
    assertThat(sum(Metrics.scrape(server.metricsPort()), "infera_inference_request_success_total"))
        .isEqualTo(1);
  }

  @Test
  void withAuthenticationTheWarmupPassesAndAForgedMarkIsAPlainClient() throws Exception {
    Path repository = repository();
    Path auth =
        Files.writeString(
            repository.getParent().resolve(repository.getFileName() + "-auth.yaml"),
            "keys:\n  - name: scoring\n    sha256: "
                + HexFormat.of().formatHex(ApiKeyStore.sha256(INFER_KEY))
                + "\n    roles: [infer]\n");
    server =
        InferaServer.start(
            ServerOptions.onFreePorts(repository)
                .withSecurity(SecurityOptions.none().withAuthConfig(auth))
                .withWarmup(SHORT));
    String scrape = Metrics.scrape(server.metricsPort());
    assertWarmedOverEveryProtocol(scrape);
    assertThat(sum(scrape, "infera_inference_request_success_total")).isZero();

    // The header without the process's token: no pass, so no credentials means 401 ...
    HttpResponse<String> forged = infer(server.httpPort(), Map.of("infera-warmup", "admitted"));
    assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
    // ... and with credentials it is an ordinary request, counted as one.
    HttpResponse<String> counted =
        infer(
            server.httpPort(),
            Map.of("infera-warmup", "admitted", "Authorization", "Bearer " + INFER_KEY));
    assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
    assertThat(sum(Metrics.scrape(server.metricsPort()), "infera_inference_request_success_total"))
        .isEqualTo(1);
  }

  /**
   * With TLS the warm-up reaches its own ports over TLS: REST (sent over HTTP/1.1, {@code h1}) and
   * gRPC each answered, no call failed, and still counted nowhere.
   */
  @Test
  void overTlsEveryProtocolIsWarmed() throws Exception {
    Path repository = repository();
    TestCertificates.Issued issued =
        TestCertificates.server(TestCertificates.authority("warm-up test CA"));
    Path cert =
        issued.writeCertificate(repository.resolveSibling(repository.getFileName() + ".pem"));
    Path key = issued.writeKey(repository.resolveSibling(repository.getFileName() + ".key"));
    server =
        InferaServer.start(
            ServerOptions.onFreePorts(repository)
                .withSecurity(
                    SecurityOptions.none().withTls(new TlsOptions(cert, key, Optional.empty())))
                .withWarmup(SHORT));
    String scrape = Metrics.scrape(server.metricsPort());
    assertWarmedOverEveryProtocol(scrape);
    assertThat(sum(scrape, "infera_inference_request_success_total")).isZero();
    assertThat(sum(scrape, "infera_inference_request_failure_total")).isZero();
  }

  @Test
  void turnedOffNoWarmupRuns() throws Exception {
    server = InferaServer.start(ServerOptions.onFreePorts(repository()));
    assertThat(get(server.httpPort(), "/v2/health/ready").statusCode()).isEqualTo(200);
    assertThat(Metrics.scrape(server.metricsPort())).doesNotContain("infera_warmup_");
  }
}
