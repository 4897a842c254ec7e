package dev.infera.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients that infer a scoring model over REST without pause, naming no version, until closed; each
 * answer is checked against what score.onnx computes (plus an allowed shift), and failures, wrong
 * answers and answers per version are counted.
 */
final class ScoreTraffic implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  final LongAdder answers = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder wrong = new LongAdder();
  final Map<String, LongAdder> perVersion = new ConcurrentHashMap<>();
  final AtomicLong lastFailure = new AtomicLong();
  volatile String lastFailureText = "";

  private ScoreTraffic() {}

  /**
   * @param allowedShift an answer may also be the expected value plus this (a shifted candidate)
   */
  static ScoreTraffic start(int port, String model, int clients, double allowedShift) {
    ScoreTraffic traffic = new ScoreTraffic();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int c = 0; c < clients; c++) {
      int seed = c;
      Thread thread =
          new Thread(
              () ->
                  traffic.loop(
                      http, port, model, new Random(seed * 31L + model.hashCode()), allowedShift),
              "score-client-" + model + "-" + c);
      thread.setDaemon(true);
      traffic.threads.add(thread);
      thread.start();
    }
    return traffic;
  }

  private void loop(HttpClient http, int port, String model, Random random, double allowedShift) {
    while (running.get()) {
      double[] x = {
        random.nextGaussian(),
        random.nextGaussian(),
        random.nextGaussian(),
        random.nextDouble() * 2.5
      };
      try {
        Answer answer = infer(http, port, model, x, Optional.empty(), Optional.empty());
        if (answer.status() != 200) {
          failures.increment();
          lastFailureText = answer.status() + " " + answer.body();
          continue;
        }
        answers.increment();
        perVersion.computeIfAbsent(answer.version(), v -> new LongAdder()).increment();
        double expected = ScoreModels.expected(x);
        if (Math.abs(answer.value() - expected) > 1e-3
            && Math.abs(answer.value() - expected - allowedShift) > 1e-3) {
          wrong.increment();
        }
      } catch (IOException e) {
        failures.increment();
        lastFailureText = e.toString();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One inference's outcome. */
  record Answer(int status, String version, double value, String body) {}

  static Answer infer(
      HttpClient http,
      int port,
      String model,
      double[] x,
      Optional<String> key,
      Optional<String> id)
      throws IOException, InterruptedException {
    return infer(http, port, model, x, key, id, Map.of());
  }

  /** One inference sending {@code headers} as well. */
  static Answer infer(
      HttpClient http,
      int port,
      String model,
      double[] x,
      Optional<String> key,
      Optional<String> id,
      Map<String, String> headers)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    id.ifPresent(value -> body.put("id", value));
    key.ifPresent(value -> body.putObject("parameters").put("routing_key", value));
    ObjectNode input = body.putArray("inputs").addObject();
    input.put("name", "INPUT0").put("datatype", "FP32");
    input.putArray("shape").add(1).add(4);
    ArrayNode data = input.putArray("data");
    for (double v : x) {
      data.add(v);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v2/models/" + model + "/infer"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    headers.forEach(request::header);
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return new Answer(response.statusCode(), "", Double.NaN, response.body());
    }
    JsonNode json = JSON.readTree(response.body());
    return new Answer(
        200,
        json.path("model_version").asText(),
        json.path("outputs").get(0).path("data").get(0).asDouble(),
        response.body());
  }

  long versionCount(String version) {
    LongAdder count = perVersion.get(version);
    return count == null ? 0 : count.sum();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(90).toMillis());
    }
  }
}
