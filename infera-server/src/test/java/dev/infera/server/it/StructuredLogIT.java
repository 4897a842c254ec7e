package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.logging.LogFormat;
import dev.infera.server.logging.LogSettings;
import dev.infera.server.observability.ObservabilityOptions;
import dev.infera.server.tracing.TraceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format json} with {@code --access-log}: every line of the log file is one JSON
 * object, and the lines about a request carry its request id and trace ids in {@code mdc}.
 */
class StructuredLogIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  private InferaServer server;
  private OtlpReceiver receiver;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    // The server moved the process's log output to its file: give the next tests the test config.
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  private static String body(String id) {
    String data = "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]";
    return "{\"id\":\""
        + id
        + "\",\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
        + data
        + "},{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
        + data
        + "}]}";
  }

  private int post(String model, String id, String traceparent) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server.httpPort() + "/v2/models/" + model + "/infer"))
            .POST(HttpRequest.BodyPublishers.ofString(body(id)));
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** Every line of the log as JSON, once some line satisfies {@code wanted} (up to 60 s). */
  private static List<JsonNode> linesOnce(Path log, Predicate<JsonNode> wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(log)) {
        JsonNode json = JSON.readTree(line);
        assertThat(json.isObject()).as(line).isTrue();
        lines.add(json);
      }
      if (lines.stream().anyMatch(wanted) || System.nanoTime() > deadline) {
        return lines;
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // access lines follow the answer
    }
  }

  private static Predicate<JsonNode> access(String requestId) {
    return line ->
        line.path("loggerName").asText().equals("dev.infera.access")
            && line.path("mdc").path("request_id").asText().equals(requestId);
  }

  @Test
  void jsonLinesCarryTheRequestAndTraceIdsOfTheRequestTheyAreAbout() throws Exception {
    Path root = Files.createTempDirectory("infera-jsonlog");
    TestRepository.copyInto(TestRepository.examples().resolve("simple"), root.resolve("simple"));
    Path log = root.resolve("infera.log");
    receiver = new OtlpReceiver();
    server =
        InferaServer.start(
            ServerOptions.onFreePorts(root)
                .withLogging(
                    LogSettings.defaults().withFormat(LogFormat.JSON).withFile(Optional.of(log))),
            ObservabilityOptions.NONE
                .withAccessLog(true)
                .withTracing(
                    TraceConfig.parse(
                        List.of(
                            "level=TIMESTAMPS",
                            "rate=2", // the first request is traced, the second is not
                            "opentelemetry,url=" + receiver.url(),
                            "opentelemetry,bsp_schedule_delay=50"))));

    assertThat(post("simple", "traced-1", "00-" + TRACE + "-b7ad6b7169203331-01")).isEqualTo(200);
    assertThat(post("simple", "untraced-2", "00-" + TRACE + "-00f067aa0ba902b7-01")).isEqualTo(200);
    assertThat(post("nope", "unknown-3", null)).isEqualTo(404);

    List<JsonNode> lines = linesOnce(log, access("unknown-3"));
    JsonNode traced = lines.stream().filter(access("traced-1")).findFirst().orElseThrow();
    assertThat(traced.path("mdc").path("trace_id").asText()).isEqualTo(TRACE);
    String ownSpan = traced.path("mdc").path("span_id").asText();
    assertThat(ownSpan).matches("[0-9a-f]{16}").isNotEqualTo("b7ad6b7169203331");
    assertThat(traced.path("formattedMessage").asText())
        .startsWith("POST /v2/models/simple/infer 200");
    assertThat(traced.path("kvpList").toString()).contains("\"status\":\"200\"");
    receiver.await(
        spans ->
            spans.stream()
                .anyMatch(
                    s ->
                        s.getName().equals("infer")
                            && java.util.HexFormat.of()
                                .formatHex(s.getSpanId().toByteArray())
                                .equals(ownSpan)));

    JsonNode untraced = lines.stream().filter(access("untraced-2")).findFirst().orElseThrow();
    assertThat(untraced.path("mdc").path("trace_id").asText()).isEqualTo(TRACE);
    assertThat(untraced.path("mdc").path("span_id").asText()).isEqualTo("00f067aa0ba902b7");

    JsonNode unknown = lines.stream().filter(access("unknown-3")).findFirst().orElseThrow();
    assertThat(unknown.path("formattedMessage").asText()).contains(" 404 ");
    assertThat(lines)
        .anyMatch(line -> line.path("loggerName").asText().endsWith("InferaServer"))
        .allMatch(line -> line.has("level") && line.has("timestamp"));
  }
}
