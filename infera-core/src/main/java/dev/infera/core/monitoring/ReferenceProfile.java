package dev.infera.core.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference a version's traffic is compared with: a distribution per feature. Stored as JSON
 * ({@value #FORMAT}) in {@value #FILE_NAME} beside the version's model file; docs/observability.md
 * describes the format.
 *
 * @param rows rows the profile was built from
 * @param features one entry per feature
 */
public record ReferenceProfile(long rows, List<ReferenceFeature> features) {
  public static final String FILE_NAME = "infera-profile.json";
  public static final String FORMAT = "infera-profile/1";
  private static final ObjectMapper JSON = new ObjectMapper();

  public ReferenceProfile {
    features = List.copyOf(features);
  }

  /** A profile frozen from sketches, one per feature name. */
  public static ReferenceProfile of(long rows, Map<String, FeatureSketch> sketches) {
    List<ReferenceFeature> features = new ArrayList<>();
    sketches.forEach((name, sketch) -> features.add(sketch.freeze(name)));
    return new ReferenceProfile(rows, features);
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("rows", rows);
    ArrayNode list = root.putArray("features");
    for (ReferenceFeature feature : features) {
      ObjectNode node = list.addObject();
      node.put("name", feature.name());
      node.put("kind", feature.kind().name().toLowerCase());
      node.put("count", feature.count());
      if (feature.kind() == FeatureKind.NUMERIC) {
        ArrayNode quantiles = node.putArray("quantiles");
        for (double q : feature.quantiles()) {
          quantiles.add(q);
        }
      } else {
        ObjectNode categories = node.putObject("categories");
        feature.categories().forEach(categories::put);
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a profile written by {@link #toJson}.
   *
   * @throws IllegalArgumentException naming what is wrong, when the text is not such a profile
   */
  public static ReferenceProfile fromJson(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON (line " + e.getLocation().getLineNr() + ")");
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException("not an " + FORMAT + " profile ('format' missing)");
    }
    JsonNode list = root.path("features");
    if (!list.isArray()) {
      throw new IllegalArgumentException("'features' must be an array");
    }
    List<ReferenceFeature> features = new ArrayList<>();
    for (JsonNode node : list) {
      features.add(feature(node));
    }
    return new ReferenceProfile(root.path("rows").asLong(), features);
  }

  private static ReferenceFeature feature(JsonNode node) {
    String name = node.path("name").asText("");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a feature has no 'name'");
    }
    String kind = node.path("kind").asText("");
    long count = node.path("count").asLong(-1);
    if ("numeric".equals(kind)) {
      JsonNode values = node.path("quantiles");
      double[] quantiles = new double[values.size()];
      for (int i = 0; i < quantiles.length; i++) {
        if (!values.get(i).isNumber()) {
          throw new IllegalArgumentException("feature '" + name + "': quantiles must be numbers");
        }
        quantiles[i] = values.get(i).asDouble();
      }
      return new ReferenceFeature(name, FeatureKind.NUMERIC, count, quantiles, Map.of());
    }
    if ("categorical".equals(kind)) {
      Map<String, Long> categories = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.path("categories").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> entry = fields.next();
        categories.put(entry.getKey(), entry.getValue().asLong());
      }
      return new ReferenceFeature(name, FeatureKind.CATEGORICAL, count, new double[0], categories);
    }
    throw new IllegalArgumentException(
        "feature '" + name + "': kind '" + kind + "' (expected numeric or categorical)");
  }
}
