package dev.infera.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The extensions over REST, in Triton's JSON shapes. */
final class RestExtensionClient implements ExtensionClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RestClient http;

  RestExtensionClient(int port) {
    this.http = new RestClient(port, false);
  }

  private static String modelPath(String model, String version) {
    return "/v2/models"
        + (model == null ? "" : "/" + model)
        + (version == null ? "" : "/versions/" + version);
  }

  @Override
  public Answer<List<VersionStats>> statistics(String model, String version) {
    return answer(
        http.get(modelPath(model, version) + "/stats"),
        body -> {
          List<VersionStats> all = new ArrayList<>();
          for (JsonNode s : body.get("model_stats")) {
            Map<String, long[]> stats = new LinkedHashMap<>();
            s.get("inference_stats")
                .fields()
                .forEachRemaining(
                    e ->
                        stats.put(
                            e.getKey(),
                            new long[] {
                              e.getValue().get("count").asLong(), e.getValue().get("ns").asLong()
                            }));
            Map<Long, Long> batches = new LinkedHashMap<>();
            for (JsonNode b : s.get("batch_stats")) {
              batches.put(
                  b.get("batch_size").asLong(), b.get("compute_infer").get("count").asLong());
            }
            all.add(
                new VersionStats(
                    s.get("name").asText(),
                    s.get("version").asText(),
                    s.get("last_inference").asLong(),
                    s.get("inference_count").asLong(),
                    s.get("execution_count").asLong(),
                    stats,
                    batches));
          }
          return all;
        });
  }

  @Override
  public Answer<Config> config(String model, String version) {
    return answer(
        http.get(modelPath(model, version) + "/config"),
        body -> {
          List<String> inputs = new ArrayList<>();
          body.get("input").forEach(i -> inputs.add(i.get("name").asText()));
          return new Config(
              body.get("name").asText(),
              body.get("platform").asText(),
              body.get("max_batch_size").asLong(),
              inputs);
        });
  }

  @Override
  public Answer<Void> register(String name, String key, long offset, long byteSize) {
    String body =
        "{\"key\":" + quote(key) + ",\"offset\":" + offset + ",\"byte_size\":" + byteSize + "}";
    return answer(
        http.post(
            "/v2/systemsharedmemory/region/" + name + "/register",
            body.getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json")),
        ignored -> null);
  }

  @Override
  public Answer<Void> unregister(String name) {
    String path =
        "/v2/systemsharedmemory" + (name == null ? "" : "/region/" + name) + "/unregister";
    return answer(http.post(path, new byte[0], Map.of()), ignored -> null);
  }

  @Override
  public Answer<List<Region>> status(String name) {
    String path = "/v2/systemsharedmemory" + (name == null ? "" : "/region/" + name) + "/status";
    return answer(
        http.get(path),
        body -> {
          List<Region> regions = new ArrayList<>();
          for (JsonNode r : body) {
            regions.add(
                new Region(
                    r.get("name").asText(),
                    r.get("key").asText(),
                    r.get("offset").asLong(),
                    r.get("byte_size").asLong()));
          }
          return regions;
        });
  }

  @Override
  public Answer<Void> cudaRegister(String name) {
    return answer(
        http.post(
            "/v2/cudasharedmemory/region/" + name + "/register",
            "{\"raw_handle\":{\"b64\":\"AAAAAAAAAAAAAAAAAAAAAA==\"},\"device_id\":0,\"byte_size\":16}"
                .getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json")),
        ignored -> null);
  }

  @Override
  public Answer<Integer> cudaRegionCount() {
    return answer(http.get("/v2/cudasharedmemory/status"), JsonNode::size);
  }

  @Override
  public Answer<Void> cudaUnregisterAll() {
    return answer(http.post("/v2/cudasharedmemory/unregister", new byte[0], Map.of()), x -> null);
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> Answer<T> answer(HttpResponse<byte[]> response, Function<JsonNode, T> read) {
    try {
      JsonNode body =
          response.body().length == 0 || response.statusCode() == 200 && !isJson(response)
              ? JSON.createObjectNode()
              : JSON.readTree(response.body());
      if (response.statusCode() == 200) {
        return Answer.ok(read.apply(body));
      }
      Code code =
          switch (response.statusCode()) {
            case 400 -> Code.INVALID_ARGUMENT;
            case 404 -> Code.NOT_FOUND;
            case 501 -> Code.UNIMPLEMENTED;
            case 503 -> Code.UNAVAILABLE;
            default -> Code.OTHER;
          };
      return Answer.failed(code, body.path("error").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isJson(HttpResponse<byte[]> response) {
    return response.headers().firstValue("content-type").orElse("").contains("json");
  }

  @Override
  public void close() {
    http.close();
  }
}
