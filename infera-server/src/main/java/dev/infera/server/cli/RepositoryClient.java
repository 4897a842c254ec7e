package dev.infera.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A client of a running server's repository API over REST ({@code /v2/repository/...}), for the
 * {@code infera models} commands. Every failure is a {@link Failure} carrying the server's error
 * message, or what kept the request from reaching it.
 */
final class RepositoryClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One row of the index. */
  record Row(String name, String version, String state, String reason) {}

  /** A request that did not succeed; the message is what the user should read. */
  static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message);
    }
  }

  private final HttpClient http;
  private final String base;
  private final Optional<String> apiKey;
  private final Duration timeout;

  RepositoryClient(String url, Optional<String> apiKey, Duration timeout) {
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.apiKey = apiKey;
    this.timeout = timeout;
    // HTTP/1.1: the JDK client's h2c upgrade can lose part of a large first answer
    // (docs/clients.md).
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  List<Row> index(boolean readyOnly) {
    ObjectNode body = JSON.createObjectNode();
    if (readyOnly) {
      body.put("ready", true);
    }
    JsonNode rows = readArray(post("/v2/repository/index", body));
    List<Row> result = new ArrayList<>();
    for (JsonNode row : rows) {
      result.add(
          new Row(
              row.path("name").asText(),
              row.path("version").asText(""),
              row.path("state").asText(""),
              row.path("reason").asText("")));
    }
    return result;
  }

  void load(String model, Optional<String> configJson) {
    ObjectNode body = JSON.createObjectNode();
    configJson.ifPresent(config -> body.putObject("parameters").put("config", config));
    post("/v2/repository/models/" + model + "/load", body);
  }

  void unload(String model, boolean unloadDependents) {
    ObjectNode body = JSON.createObjectNode();
    if (unloadDependents) {
      body.putObject("parameters").put("unload_dependents", true);
    }
    post("/v2/repository/models/" + model + "/unload", body);
  }

  private String post(String path, JsonNode body) {
    return send("POST", path, Optional.of(body));
  }

  /** Sends a request to the server's REST API; returns the body of a 200 answer. */
  String send(String method, String path, Optional<JsonNode> body) {
    URI uri;
    try {
      uri = URI.create(base + path);
    } catch (IllegalArgumentException e) {
      throw new Failure("bad server URL '" + base + "': " + e.getMessage());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .method(
                method,
                body.map(json -> HttpRequest.BodyPublishers.ofString(json.toString()))
                    .orElse(HttpRequest.BodyPublishers.noBody()));
    apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure("cannot reach " + base + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    if (response.statusCode() != 200) {
      throw new Failure(errorOf(response));
    }
    return response.body();
  }

  /**
   * Why the server could not be reached, in words (the HTTP client's exceptions often have none).
   */
  private static String describe(IOException e) {
    if (e instanceof java.net.http.HttpConnectTimeoutException) {
      return "the connection timed out";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer before the timeout";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof java.nio.channels.UnresolvedAddressException
        || root instanceof java.net.UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof java.net.ConnectException) {
      return "connection refused (is the server running, and is this its REST port?)";
    }
    return e.getMessage() != null ? e.getMessage() : "the connection failed";
  }

  private static String errorOf(HttpResponse<String> response) {
    try {
      JsonNode json = JSON.readTree(response.body());
      if (json != null && json.path("error").isTextual()) {
        return json.get("error").asText() + " (HTTP " + response.statusCode() + ")";
      }
    } catch (IOException e) {
      // not JSON: reported below
    }
    return "HTTP " + response.statusCode() + ": " + response.body();
  }

  /** The server's JSON answer, an array (the repository index, a rollout's history). */
  static JsonNode readArray(String text) {
    return read(text, true);
  }

  /** The server's JSON answer, an object (a rollout's status). */
  static JsonNode readObject(String text) {
    return read(text, false);
  }

  private static JsonNode read(String text, boolean array) {
    String expected = array ? "a JSON array" : "a JSON object";
    try {
      JsonNode json = JSON.readTree(text);
      if (json == null || (array ? !json.isArray() : !json.isObject())) {
        throw new Failure("unexpected answer (expected " + expected + "): " + text);
      }
      return json;
    } catch (IOException e) {
      throw new Failure("unexpected answer (expected " + expected + "): " + text);
    }
  }
}
