package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.server.capture.CaptureSettings;
import dev.infera.server.observability.ObservabilityOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Payload capture on a real server: requests to {@code simple} written as JSON Lines, with {@code
 * INPUT1} redacted, into files rotated by size; and a capture file on a full disk ({@code
 * /dev/full}, a real ENOSPC on every write) counted while inference goes on.
 */
class PayloadCaptureIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private InferaServer server;

  private Server sink;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (sink != null) {
      sink.stop().join();
    }
  }

  private void start(Path captures, long maxFileBytes, int maxFiles) throws Exception {
    start(settings(captures, maxFileBytes, maxFiles));
  }

  private static CaptureSettings settings(Path captures, long maxFileBytes, int maxFiles) {
    return new CaptureSettings(
        Set.of("simple"),
        1.0,
        captures,
        maxFileBytes,
        Duration.ofHours(1),
        maxFiles,
        Set.of("INPUT1"),
        1000);
  }

  private void start(CaptureSettings settings) throws Exception {
    Path root = Files.createTempDirectory("infera-capture-repo");
    TestRepository.copyInto(TestRepository.examples().resolve("simple"), root.resolve("simple"));
    server =
        InferaServer.start(
            ServerOptions.onFreePorts(root), ObservabilityOptions.NONE.withCapture(settings));
  }

  private int infer(String id) throws Exception {
    String data = "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]";
    String body =
        "{\"id\":\""
            + id
            + "\",\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
            + data
            + "},{\"name\":\"INPUT1\",\"datatype\":\"INT32\",\"shape\":[1,16],\"data\":"
            + data
            + "}]}";
    return HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/simple/infer"))
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  private static List<JsonNode> records(Path dir) throws Exception {
    List<JsonNode> records = new ArrayList<>();
    for (Path file : files(dir)) {
      for (String line : Files.readAllLines(file)) {
        records.add(JSON.readTree(line));
      }
    }
    return records;
  }

  private String metrics() throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Waits (up to 60 s) until the metrics show {@code line}. */
  private void awaitMetric(String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!metrics().contains(line)) {
      assertThat(System.nanoTime()).as("metrics never showed " + line).isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the capture thread writes
    }
  }

  @Test
  void capturedRequestsAreWrittenRedactedAndRotatedBySize() throws Exception {
    Path captures = Files.createTempDirectory("infera-captures");
    start(captures, 2048, 3);

    for (int i = 0; i < 20; i++) {
      assertThat(infer("req-" + i)).isEqualTo(200);
    }
    awaitMetric("infera_capture_written_total 20.0");

    List<Path> files = files(captures);
    assertThat(files).hasSize(3); // rotated by size; the oldest files went
    for (Path file : files) {
      assertThat(file.getFileName().toString()).matches("capture-\\d{6}\\.jsonl");
      assertThat(Files.size(file)).isLessThanOrEqualTo(2048);
    }
    List<JsonNode> records = records(captures);
    assertThat(records).isNotEmpty().hasSizeLessThan(20);
    assertThat(records.get(records.size() - 1).path("id").asText()).isEqualTo("req-19");
    for (JsonNode record : records) {
      assertThat(record.path("model").asText()).isEqualTo("simple");
      assertThat(record.path("version").asText()).isEqualTo("1");
      assertThat(record.path("trace_id").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(record.path("time").asText()).isNotEmpty();
      JsonNode input0 = record.path("inputs").get(0);
      JsonNode input1 = record.path("inputs").get(1);
      assertThat(input0.path("name").asText()).isEqualTo("INPUT0");
      assertThat(input0.path("data").size()).isEqualTo(16);
      assertThat(input1.path("name").asText()).isEqualTo("INPUT1");
      assertThat(input1.path("redacted").asBoolean()).isTrue();
      assertThat(input1.has("data")).isFalse();
      assertThat(input1.path("shape").toString()).isEqualTo("[1,16]");
      JsonNode output0 = record.path("outputs").get(0);
      assertThat(output0.path("name").asText()).isEqualTo("OUTPUT0");
      assertThat(output0.path("data").get(3).asInt()).isEqualTo(6); // 3 + 3
    }
  }

  @Test
  void aFullDiskLosesCapturedRecordsButNoRequest() throws Exception {
    Path captures = Files.createTempDirectory("infera-captures-full");
    // The newest capture file is continued after a restart: make it the kernel's full device.
    Files.createSymbolicLink(captures.resolve("capture-000001.jsonl"), Path.of("/dev/full"));
    start(captures, 1 << 20, 3);

    for (int i = 0; i < 10; i++) {
      assertThat(infer("req-" + i)).isEqualTo(200);
    }
    awaitMetric("infera_capture_dropped_total{reason=\"write_failed\"} 10.0");
    assertThat(metrics()).contains("infera_capture_written_total 0.0");
  }

  @Test
  void cloudEventsReachTheSinkInBatchesAndAnUnreachableSinkFailsNoRequest() throws Exception {
    List<String> types = new CopyOnWriteArrayList<>();
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    sink =
        Server.builder()
            .http(0)
            .service(
                "/events",
                (ctx, req) ->
                    HttpResponse.of(
                        req.aggregate()
                            .thenApply(
                                body -> {
                                  types.add(String.valueOf(body.contentType()));
                                  try {
                                    JSON.readTree(body.contentUtf8()).forEach(events::add);
                                  } catch (Exception e) {
                                    return HttpResponse.of(HttpStatus.BAD_REQUEST);
                                  }
                                  return HttpResponse.of(HttpStatus.ACCEPTED);
                                })))
            .build();
    sink.start().join();
    start(
        settings(Files.createTempDirectory("infera-captures-sink"), 1 << 20, 3)
            .withSink(URI.create("http://127.0.0.1:" + sink.activeLocalPort() + "/events"), 4));

    for (int i = 0; i < 6; i++) {
      assertThat(infer("req-" + i)).isEqualTo(200);
    }
    awaitMetric("infera_capture_sent_total 6.0");
    assertThat(types).allMatch(type -> type.startsWith("application/cloudevents-batch+json"));
    assertThat(events).hasSize(6);
    for (JsonNode event : events) {
      assertThat(event.path("specversion").asText()).isEqualTo("1.0");
      assertThat(event.path("type").asText()).isEqualTo("dev.infera.inference.capture.v1");
      assertThat(event.path("source").asText()).isEqualTo("/infera/models/simple/versions/1");
      assertThat(event.path("id").asText()).isNotEmpty();
      assertThat(event.path("data").path("inputs").get(1).path("redacted").asBoolean()).isTrue();
    }
    assertThat(events)
        .extracting(e -> e.path("data").path("id").asText())
        .containsExactlyInAnyOrder("req-0", "req-1", "req-2", "req-3", "req-4", "req-5");

    server.close();
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    start(
        settings(Files.createTempDirectory("infera-captures-nosink"), 1 << 20, 3)
            .withSink(URI.create("http://127.0.0.1:" + closedPort + "/events"), 4));
    for (int i = 0; i < 6; i++) {
      assertThat(infer("lost-" + i)).isEqualTo(200);
    }
    awaitMetric("infera_capture_dropped_total{reason=\"sink_failed\"} 6.0");
    assertThat(metrics()).contains("infera_capture_written_total 6.0"); // the files still got them
  }
}
