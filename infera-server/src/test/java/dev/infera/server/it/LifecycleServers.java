package dev.infera.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infera.core.lifecycle.ControlOptions;
import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Servers with a model control mode, and the repository API and metrics as tests read them. */
final class LifecycleServers {
  private LifecycleServers() {}

  static InferaServer start(Path repo, ControlOptions control) {
    return InferaServer.start(
        ServerOptions.onFreePorts(repo)
            .withManager(ManagerOptions.defaults().withControl(control)));
  }

  /** A model folder holding a copy of examples' simple under another name. */
  static void simpleCopy(Path repo, String name, String extraConfig) {
    try {
      Path simple = TestRepository.examples().resolve("simple");
      Files.createDirectories(repo.resolve(name).resolve("1"));
      Files.copy(
          simple.resolve("1/model.onnx"), repo.resolve(name).resolve("1").resolve("model.onnx"));
      String config =
          Files.readString(simple.resolve("config.pbtxt"))
              .replace("name: \"simple\"", "name: \"" + name + "\"");
      Files.writeString(repo.resolve(name).resolve("config.pbtxt"), config + extraConfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HttpResponse<byte[]> post(RestClient rest, String path, String json) {
    return rest.post(
        path, json.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
  }

  static JsonNode index(RestClient rest, String body) {
    HttpResponse<byte[]> response = post(rest, "/v2/repository/index", body);
    if (response.statusCode() != 200) {
      throw new AssertionError("index: HTTP " + response.statusCode());
    }
    return RestClient.readJson(response.body());
  }

  /** The Prometheus text of the metrics endpoint. */
  static String scrape(InferaServer server) {
    return Metrics.scrape(server.metricsPort());
  }

  /** The value of one series, or 0 when absent. */
  static double value(String text, String series) {
    return Metrics.value(text, series);
  }
}
