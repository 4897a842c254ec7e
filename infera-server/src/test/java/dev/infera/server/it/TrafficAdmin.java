package dev.infera.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** The traffic and rollout endpoints as the tests call them. */
final class TrafficAdmin {
  /** An answer: its status and its JSON body. */
  record Reply(int status, JsonNode json) {
    String error() {
      return json.path("error").asText("");
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final int port;

  TrafficAdmin(int port) {
    this.port = port;
  }

  Reply send(String method, String path, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body =
          response.body().isEmpty()
              ? ScoreTraffic.JSON.createObjectNode()
              : ScoreTraffic.JSON.readTree(response.body());
      return new Reply(response.statusCode(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode ok(String method, String path, String json) {
    Reply reply = send(method, path, json);
    if (reply.status() != 200) {
      throw new AssertionError(
          method + " " + path + ": HTTP " + reply.status() + " " + reply.json());
    }
    return reply.json();
  }

  JsonNode status(String model) {
    return ok("GET", "/v2/models/" + model + "/rollout", null);
  }

  /**
   * Polls the model's rollout status until it matches; fails after the timeout, or at once when the
   * rollout has finished without matching (a finished rollout does not change any more).
   */
  JsonNode awaitStatus(String model, Predicate<JsonNode> condition, Duration timeout)
      throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    JsonNode status = status(model);
    while (!condition.test(status)) {
      if (Instant.now().isAfter(end) || finished().test(status)) {
        throw new AssertionError(
            "rollout of '" + model + "' never got there; last status: " + status.toPrettyString());
      }
      Thread.onSpinWait();
      Thread.sleep(100); // polling a remote state, not timing a behaviour
      status = status(model);
    }
    return status;
  }

  static Predicate<JsonNode> finished() {
    return s -> !s.path("state").asText().equals("RUNNING");
  }
}
