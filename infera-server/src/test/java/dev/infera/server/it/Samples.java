package dev.infera.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infera.spi.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference samples of a model (copied from the project's model zoo into test resources under
 * {@code it/samples/<model>/}): each case's request and expected response, and the model's
 * tolerance from its meta.json.
 */
record Samples(String model, double atol, double rtol, List<Case> cases) {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Case(String name, String id, List<Tensor> inputs, List<Tensor> expected) {}

  static Samples of(String model) {
    JsonNode meta = read("it/samples/" + model + "/meta.json");
    JsonNode tolerance = meta.get("tolerance");
    boolean exact = tolerance.has("exact") && tolerance.get("exact").asBoolean();
    double atol = exact ? 0 : tolerance.get("atol").asDouble();
    double rtol = exact ? 0 : tolerance.get("rtol").asDouble();
    List<Case> cases = new ArrayList<>();
    for (JsonNode sample : meta.get("samples")) {
      String name = sample.get("case").asText();
      if (!sample.has("json")) {
        continue;
      }
      JsonNode request = read("it/samples/" + model + "/" + name + "/request.json");
      JsonNode response = read("it/samples/" + model + "/" + name + "/response.json");
      List<Tensor> inputs = new ArrayList<>();
      request.get("inputs").forEach(node -> inputs.add(TestTensors.fromJson(node)));
      List<Tensor> expected = new ArrayList<>();
      response.get("outputs").forEach(node -> expected.add(TestTensors.fromJson(node)));
      cases.add(new Case(name, request.path("id").asText(name), inputs, expected));
    }
    return new Samples(model, atol, rtol, List.copyOf(cases));
  }

  private static JsonNode read(String resource) {
    try (InputStream in = Samples.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
