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
  public List<String> extensions() {
    List<String> names = new ArrayList<>();
    RestClient.readJson(http.get("/v2").body())
        .get("extensions")
        .forEach(n -> names.add(n.asText()));
    return names;
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

  @Override
  public Answer<List<AnsweredOutput>> inferShm(
      String model, List<ShmInput> inputs, List<ShmOutput> outputs) {
    var body = JSON.createObjectNode();
    var in = body.putArray("inputs");
    for (ShmInput input : inputs) {
      var tensor = in.addObject().put("name", input.name()).put("datatype", "INT32");
      var shape = tensor.putArray("shape");
      for (long d : input.shape()) {
        shape.add(d);
      }
      if (input.region() == null) {
        var data = tensor.putArray("data");
        for (int v : input.inline()) {
          data.add(v);
        }
      } else {
        tensor
            .putObject("parameters")
            .put("shared_memory_region", input.region())
            .put("shared_memory_offset", input.offset())
            .put("shared_memory_byte_size", input.size());
      }
    }
    var out = body.putArray("outputs");
    for (ShmOutput output : outputs) {
      var tensor = out.addObject().put("name", output.name());
      if (output.region() != null) {
        tensor
            .putObject("parameters")
            .put("shared_memory_region", output.region())
            .put("shared_memory_offset", output.offset())
            .put("shared_memory_byte_size", output.size());
      }
    }
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return answer(
        http.post(
            RestClient.inferPath(model, null), bytes, Map.of("Content-Type", "application/json")),
        json -> {
          List<AnsweredOutput> answered = new ArrayList<>();
          for (JsonNode o : json.get("outputs")) {
            List<Long> shape = new ArrayList<>();
            o.get("shape").forEach(d -> shape.add(d.asLong()));
            Map<String, Object> parameters = new LinkedHashMap<>();
            if (o.has("parameters")) {
              o.get("parameters")
                  .fields()
                  .forEachRemaining(
                      e ->
                          parameters.put(
                              e.getKey(),
                              e.getValue().isNumber()
                                  ? e.getValue().asLong()
                                  : e.getValue().asText()));
            }
            int[] data = null;
            if (o.has("data")) {
              data = new int[o.get("data").size()];
              for (int i = 0; i < data.length; i++) {
                data[i] = o.get("data").get(i).asInt();
              }
            }
            answered.add(
                new AnsweredOutput(
                    o.get("name").asText(), o.get("datatype").asText(), shape, parameters, data));
          }
          return answered;
        });
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
